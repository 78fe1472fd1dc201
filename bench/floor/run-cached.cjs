// Runs a CommonJS bundle through vm.Script with V8's code cache beside it (BUNDLE.cache), as agg's
// start.cjs runs its own: `node run-cached.cjs BUNDLE args…`. The cache is written on the first run.
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const file = path.resolve(process.argv[2]);
process.argv.splice(1, 1);
const cacheFile = `${file}.cache`;
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  // First run: compile, and write the cache at exit.
}
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
const exit = process.exit;
process.exit = (code) => {
  if (!cachedData || script.cachedDataRejected) fs.writeFileSync(cacheFile, script.createCachedData());
  exit(code);
};
const mod = { exports: {} };
script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
