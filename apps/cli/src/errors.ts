/** The operator's input is wrong: exit 2, and the message says what to do. Recorded as a failure when an operation had begun. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The CLI refuses the operation (input it will not act on): exit 2, recorded with outcome "denied". */
export class DeniedError extends Error {
  override readonly name = 'DeniedError';
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
