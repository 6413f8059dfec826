// Process, port and wait helpers live in @lookout/process-kit (npm start uses them too); re-exported
// here so a test needs one import.
export { freePort, portIsFree, startProcess, waitUntil, waitForHttp, which, type RunningProcess, type StartOptions } from '@lookout/process-kit';
export { missingPart } from './real-parts.ts';
export { listenLocally, type ListeningServer } from './local-server.ts';
export { startRedis, redisMissing, type TestRedis } from './redis.ts';
export { parsePrometheusText, type ScrapedFamily } from './prometheus-text.ts';
export {
  startCollector, collectorMissing, validateCollectorConfig, collectorBinary, collectorConfigFiles, REPO_ROOT,
  type TestCollector, type StartCollectorOptions, type CollectorSignal, type ValidationResult,
} from './collector.ts';
export {
  JsonLinesTail, logRecordsOf, metricsOf, parseJsonLines, searchableText, spansOf,
  type FileLogRecord, type FileMetric, type FileSpan,
} from './otlp-lines.ts';
export * from './otlp-receiver.ts';
