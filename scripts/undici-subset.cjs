'use strict';
// What the command line's bundle gets for `import … from 'undici'`: the parts agg uses (an Agent,
// its Pools and Clients, three interceptors), required as undici's own index.js requires them. The
// full index also loads fetch, WebSocket, the request API, the mock and snapshot agents and the cache
// stores, and touches globalThis.Headers, which loads Node's own copy of undici: about 25 ms of every
// start.
// scripts/bundle-cli.js fails the build if the code imports a name that is not here.
const Agent = require('undici/lib/dispatcher/agent');
const Client = require('undici/lib/dispatcher/client');
const Pool = require('undici/lib/dispatcher/pool');
module.exports = {
  Agent,
  Client,
  Pool,
  interceptors: {
    decompress: require('undici/lib/interceptor/decompress'),
    redirect: require('undici/lib/interceptor/redirect'),
    retry: require('undici/lib/interceptor/retry'),
  },
};
