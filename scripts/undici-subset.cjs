'use strict';
// What the command line's bundle gets for `import … from 'undici'`: the parts agg uses (an Agent,
// its Pools and Clients, three interceptors, the ProxyAgent), required as undici's own index.js requires them. The
// full index also loads fetch, WebSocket, the request API, the mock and snapshot agents and the cache
// stores, and touches globalThis.Headers, which loads Node's own copy of undici: about 25 ms of every
// start.
// scripts/bundle-cli.js fails the build if the code imports a name that is not here.
const Agent = require('undici/lib/dispatcher/agent');
const Client = require('undici/lib/dispatcher/client');
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
const Pool = require('undici/lib/dispatcher/pool');
module.exports = {
  Agent,
  Client,
  // Agent's own base class: proxy.ts's router extends it, for compose().
  Dispatcher,
  Pool,
  // Required on first use: only a run with a proxy set (src/scatter/proxy.ts) pays for loading it.
  get ProxyAgent() {
    // It opens each tunnel with Dispatcher#connect, which undici's index.js adds to the prototype with
    // the rest of its request API: without it every proxied request failed, `connect is not a function`.
    Dispatcher.prototype.connect ??= require('undici/lib/api/api-connect');
    return require('undici/lib/dispatcher/proxy-agent');
  },
  interceptors: {
    decompress: require('undici/lib/interceptor/decompress'),
    redirect: require('undici/lib/interceptor/redirect'),
    retry: require('undici/lib/interceptor/retry'),
  },
};
