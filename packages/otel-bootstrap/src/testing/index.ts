export { sampledTraceId, unsampledTraceId } from './trace-ids.ts';
