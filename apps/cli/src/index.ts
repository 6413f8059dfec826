export { runCli } from './program.ts';
export { CLI_SERVICE, type Io } from './session.ts';
export { parseTime } from './commands/audit.ts';
