'use strict';
// What undici's client-h2.js gets for `require('node:http2')` in the command line's bundle: the value
// undici itself falls back to when Node has no http2. HTTP/2 is used only when a Client is made with
// `allowH2` (or `useH2c`), which agg never sets (scripts/bundle-cli.js checks it), so the module, which
// also loads tls, is never needed: about 7 ms of every start.
module.exports = { constants: {} };
