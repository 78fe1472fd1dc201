'use strict';
// What commander gets for `require('node:child_process')` in the command line's bundle. commander
// loads it at start-up for executable subcommands (`git-style` commands run as separate programs),
// which agg has none of; with it come net and dgram, about 2 ms of every start. The module is
// loaded the first time `spawn` is read, so commander still works if agg ever adds one
// (scripts/bundle-cli.js checks that `spawn` is all commander uses).
module.exports = {
  get spawn() {
    return require('node:child_process').spawn;
  },
};
