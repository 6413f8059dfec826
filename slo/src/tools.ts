// Runs a pinned tool for a test and collects its output; never throws, so a test can assert.
import { execFile } from 'node:child_process';

export interface ToolRun {
  ok: boolean;
  output: string;
}

export const runTool = (path: string, args: string[], cwd?: string) =>
  new Promise<ToolRun>((done) =>
    execFile(path, args, { timeout: 60_000, cwd }, (error, stdout, stderr) => done({ ok: !error, output: `${stdout}${stderr}` })),
  );
