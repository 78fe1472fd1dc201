'use strict';
// What strip-ansi (string-width's, under cli-table3) gets for `require('ansi-regex')` in the command
// line's bundle. ansi-regex v5 joins its pattern and compiles a new RegExp at every call, and strip-ansi
// calls it for every string string-width measures: cli-table3 measures each cell several times, and
// for a table of 4,000 offers that was about a third of two seconds of drawing. One pattern is made and
// handed out each time: strip-ansi only passes it to `replace`, which starts a global pattern from the
// beginning whatever its lastIndex (scripts/bundle-cli.js checks that this is all strip-ansi does).
const pattern = require('ansi-regex/index.js')();
module.exports = () => pattern;
