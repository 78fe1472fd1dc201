'use strict';
// What undici gets for `require('node:http')` in the command line's bundle. node:http brings Node's
// whole HTTP/1 client and server, about 3.5 ms of every start, and undici reads two things from it:
// - `IncomingMessage`, which util.destroy() compares a request body's constructor with, to detach
//   the socket of one of Node's own responses before destroying it. agg sends strings only, never a
//   stream, so nothing is ever compared: a stand-in that nothing is an instance of will do.
// - `maxHeaderSize`, the limit on a response's headers: Node's `--max-http-header-size`, 16 KiB
//   unless set. When the flag is given (on the command line or in NODE_OPTIONS), the real module is
//   loaded, so that it applies as it did.
// scripts/bundle-cli.js fails the build if undici reads anything else from it.
const flagged = /--max[-_]http[-_]header[-_]size/.test(
  `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`,
);

module.exports = flagged
  ? require('node:http')
  : {
      IncomingMessage: class IncomingMessageStandIn {},
      maxHeaderSize: 16 * 1024,
    };
