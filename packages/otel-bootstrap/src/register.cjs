'use strict';
// Entry point for `node --require @lookout/otel-bootstrap/register` and `--import`.
// Plain JavaScript on purpose: it turns on Node's on-disk compile cache before anything else loads,
// so from the second start on, Node reuses compiled code and the TypeScript it already stripped
// instead of loading its type stripper. Set NODE_DISABLE_COMPILE_CACHE=1 to opt out.
const { enableCompileCache } = require('node:module');

if (!process.env.NODE_DISABLE_COMPILE_CACHE && typeof enableCompileCache === 'function') enableCompileCache();
require('./register.ts');
