export { freePort, portIsFree } from './ports.ts';
export { startProcess, waitUntil, waitForHttp, type RunningProcess, type StartOptions } from './process.ts';
export { which } from './which.ts';
