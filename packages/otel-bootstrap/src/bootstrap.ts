import { parseConfig, type Env } from './config.ts';
import { registerEsmHooks } from './esm-hooks.ts';
import { startSdk } from './sdk.ts';
import { installSignalHandlers } from './signals.ts';
import { claimBootstrap, getState, type BootstrapState } from './state.ts';
import { errorMessage, warn } from './warn.ts';

export interface BootstrapOptions {
  /** Default process.env. */
  env?: Env;
  /** Register the import-in-the-middle loader so ESM imports are instrumented. Default true. */
  esmHooks?: boolean;
  /** Flush on SIGTERM/SIGINT. Default true. */
  signals?: boolean;
}

/**
 * Starts telemetry once per process. A second call (second load of the
 * package) returns the existing state and does nothing else. Never throws.
 */
export function bootstrap(options: BootstrapOptions = {}): BootstrapState {
  const state = claimBootstrap();
  if (!state) return getState() as BootstrapState;
  const { env = process.env, esmHooks = true, signals = true } = options;
  const { config, warnings } = parseConfig(env);
  for (const warning of warnings) warn(`bad ${warning.variable}: ${warning.problem}; using ${warning.using}`, { ...warning });
  state.config = config;
  if (config.disabled) return state;
  try {
    if (esmHooks) registerEsmHooks();
    state.sdk = startSdk(config);
    if (signals) installSignalHandlers(state.sdk);
  } catch (error) {
    // Telemetry must never keep the app from starting.
    warn('telemetry could not start; the app runs without it', { error: errorMessage(error) });
  }
  return state;
}
