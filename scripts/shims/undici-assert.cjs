'use strict';
// What undici gets for `require('node:assert')` in the command line's bundle. undici calls only
// `assert(value[, message])`, mostly without a message, and then Node builds one from the failing
// line's source: it reads dist/cli.cjs and parses that line with acorn from every token on, and the
// bundle's lines are up to 270 KB long. A vendor answering `HTTP/1.1 000` (undici asserts a status of
// at least 100) blocked the event loop for 6 s of CPU, past every timeout and Ctrl-C, for a message
// it then gave up on (`false == true`). Here a missing message is a fixed one: nothing is read.
// node:assert itself is loaded only when a check fails: at load it cost every run about 0.7 ms.
module.exports = (value, message) => {
  if (!value) require('node:assert').fail(message ?? 'undici: a check on the response failed');
};
