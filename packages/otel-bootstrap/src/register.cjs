'use strict';
// Entry point for `node --require @lookout/otel-bootstrap/register` and `--import`.
// Plain JavaScript on purpose: it turns on Node's on-disk compile cache before anything else loads,
// so from the second start on, Node reuses compiled code and the TypeScript it already stripped
// instead of loading its type stripper. Set NODE_DISABLE_COMPILE_CACHE=1 to opt out.
const { enableCompileCache, flushCompileCache } = require('node:module');

const cacheOn = !process.env.NODE_DISABLE_COMPILE_CACHE && typeof enableCompileCache === 'function';
if (cacheOn) enableCompileCache();
require('./register.ts');
// Node writes the cache only on a normal exit; a service stopped by a signal (SIGTERM, re-raised
// after the flush of telemetry) or killed never does, and would start cold every time. Writing it
// now costs nothing once the cache is warm (only new entries are written).
if (cacheOn && typeof flushCompileCache === 'function') flushCompileCache();
