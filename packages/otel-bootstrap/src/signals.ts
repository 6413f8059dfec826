// SIGTERM/SIGINT: flush every signal within the shutdown timeout. If the app
// listens for the signal itself, it owns the exit and we only flush; otherwise
// we shut down and re-raise the signal so the default behaviour (exit) follows.
import type { RunningSdk } from './sdk.ts';

export const HANDLED_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export function installSignalHandlers(sdk: Pick<RunningSdk, 'forceFlush' | 'shutdown'>): void {
  for (const signal of HANDLED_SIGNALS) {
    const onSignal = () => {
      const appListens = process.listeners(signal).some((listener) => listener !== onSignal);
      if (appListens) {
        void sdk.forceFlush();
        return;
      }
      process.removeListener(signal, onSignal);
      void sdk.shutdown().finally(() => process.kill(process.pid, signal));
    };
    process.on(signal, onSignal);
  }
}
