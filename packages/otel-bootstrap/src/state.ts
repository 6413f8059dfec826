// One bootstrap per process, even if the package is loaded twice (both
// --require and --import, or two copies on disk): the state lives on
// globalThis under a registry symbol.
import type { BootstrapConfig } from './config.ts';
import type { RunningSdk } from './sdk.ts';

const STATE_KEY = Symbol.for('@lookout/otel-bootstrap');

export interface BootstrapState {
  /** Set before the SDK starts, so a re-entrant load also sees it. */
  claimedAt: number;
  config?: BootstrapConfig;
  /** Undefined when disabled (OTEL_SDK_DISABLED=true) or start-up failed. */
  sdk?: RunningSdk;
}

type GlobalWithState = typeof globalThis & { [STATE_KEY]?: BootstrapState };

export function getState(): BootstrapState | undefined {
  return (globalThis as GlobalWithState)[STATE_KEY];
}

/** Returns the new state if this caller is first, undefined if a bootstrap already ran. */
export function claimBootstrap(): BootstrapState | undefined {
  const global = globalThis as GlobalWithState;
  if (global[STATE_KEY]) return undefined;
  const state: BootstrapState = { claimedAt: Date.now() };
  global[STATE_KEY] = state;
  return state;
}

/** Tests only: forget the bootstrap so another can be claimed. */
export function resetStateForTests(): void {
  delete (globalThis as GlobalWithState)[STATE_KEY];
}
