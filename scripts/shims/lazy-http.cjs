'use strict';
// What undici gets for `require('node:http')` in the command line's bundle. node:http brings Node's
// whole HTTP/1 client and server, about 3.5 ms of every start, and undici reads two things from it:
// - `IncomingMessage`, which util.destroy() compares a request body's constructor with, to detach
//   the socket of one of Node's own responses before destroying it. agg sends strings only, never a
//   stream, so nothing is ever compared: a stand-in that nothing is an instance of will do.
// - `maxHeaderSize`, the default for Clients made without that option. agg always sets it
//   (src/scatter/dispatcher.ts), so this is only Node's own default, for undici's check at load.
// scripts/bundle-cli.js fails the build if undici reads anything else from it.
module.exports = {
  IncomingMessage: class IncomingMessageStandIn {},
  maxHeaderSize: 16 * 1024,
};
