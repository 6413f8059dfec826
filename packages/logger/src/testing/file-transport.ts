// A pino transport for tests of the worker mode: masks each line as the bootstrap's transport does
// (maskLine) and appends it to options.file. options.failAfter: the worker exits after that many lines.
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { maskLine } from '../mask-line.ts';

const build = createRequire(import.meta.url)('pino-abstract-transport') as typeof import('pino-abstract-transport');

export const FILE_TRANSPORT_PATH = new URL(import.meta.url).pathname;

export default function fileTransport(options: { file: string; failAfter?: number }) {
  let seen = 0;
  return build((source) => {
    source.on('data', (line: string) => {
      if (options.failAfter !== undefined && ++seen > options.failAfter) process.exit(1);
      appendFileSync(options.file, `${maskLine(line).text}\n`);
    });
  }, { parse: 'lines' });
}
