export * from './otlp-receiver.ts';
export { sampledTraceId, unsampledTraceId } from './trace-ids.ts';
