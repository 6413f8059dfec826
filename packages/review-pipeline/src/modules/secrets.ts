// A secret finding is an added line that @lookout/logger's maskString would change: the same
// patterns that keep secrets out of logs decide what must not be committed. The finding never
// quotes the line, masked or not.
import { maskString } from '@lookout/logger';
import type { ModuleFinding, ReviewModule } from '../types.ts';

export const secretsModule: ReviewModule = {
  name: 'secrets',
  run({ files }) {
    const findings: ModuleFinding[] = [];
    for (const file of files) {
      for (const { line, content } of file.added) {
        if (maskString(content) === content) continue;
        findings.push({
          severity: 'error',
          file: file.path,
          line,
          message: 'added line looks like it contains a secret; remove it and rotate the credential',
        });
      }
    }
    return findings;
  },
};
