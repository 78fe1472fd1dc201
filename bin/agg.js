#!/usr/bin/env node
// CommonJS (bin/package.json): the ES-module loader would cost every run about 5 ms (issue #7).
require('../dist/start.cjs').start();
