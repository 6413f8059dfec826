export { freePort, portIsFree } from './ports.ts';
export { which, missingPart } from './real-parts.ts';
export { startProcess, waitUntil, waitForHttp, type RunningProcess, type StartOptions } from './process.ts';
export { startRedis, redisMissing, type TestRedis } from './redis.ts';
export { parsePrometheusText, type ScrapedFamily } from './prometheus-text.ts';
export {
  startCollector, collectorMissing, validateCollectorConfig, collectorBinary, collectorConfigFiles, REPO_ROOT,
  type TestCollector, type StartCollectorOptions, type CollectorSignal, type ValidationResult,
} from './collector.ts';
