// Entry point for `node --require @lookout/otel-bootstrap/register` and
// `node --import @lookout/otel-bootstrap/register`. No top-level await: under
// --require this ES module is loaded through require(esm).
import { bootstrap } from './bootstrap.ts';

bootstrap();
