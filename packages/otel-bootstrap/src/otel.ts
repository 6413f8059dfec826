// All OpenTelemetry SDK packages are loaded through one CommonJS require.
// Why: the instrumentations are CommonJS and pull in the CJS builds of core and
// the SDKs; importing the ESM builds here as well would load a second copy of
// each package (the dual-package hazard: two MetricReader classes, two
// context managers) and double the start-up cost.
import { createRequire } from 'node:module';

export const requireOtel = createRequire(import.meta.url);
