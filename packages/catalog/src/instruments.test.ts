import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileGuard, DROP } from './guard.ts';
import { createInstruments } from './instruments.ts';
import { inventory, SECONDS_BUCKETS } from './inventory.ts';
import { createTestMeter } from './testing.ts';
import type { AttributeViolation } from './types.ts';

afterEach(() => diag.disable());

function captureWarnings(): string[] {
  const warnings: string[] = [];
  const logger: DiagLogger = {
    error: () => {},
    warn: (message: string) => warnings.push(message),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return warnings;
}

describe('createInstruments', () => {
  it('creates exactly the owner’s metrics', () => {
    const { meter } = createTestMeter();
    expect(Object.keys(createInstruments(meter, 'reviewer')).sort()).toEqual(
      ['reviewDuration', 'reviewFindings', 'reviewModuleDuration', 'reviewModuleFailures', 'reviews'],
    );
    expect(Object.keys(createInstruments(meter, 'all'))).toEqual(['telemetryDropped']);
    expect(Object.keys(createInstruments(meter, 'worker')).sort()).toEqual(
      ['configDrift', 'driftCheckSuccess', 'driftCheckTimestamp', 'jobProcessDuration', 'jobsProcessed', 'queueDepth', 'queueOldestWaitingAge', 'sloReportAge', 'sloReportRuns'],
    );
  });

  it('records counters with their declared name, unit and labels', async () => {
    const test = createTestMeter();
    const m = createInstruments(test.meter, 'reviewer');
    m.reviews.add(1, { outcome: 'success' });
    m.reviews.add(2, { outcome: 'partial' });
    const metric = (await test.collect()).find((d) => d.descriptor.name === 'lookout.reviews');
    expect(metric?.descriptor.unit).toBe('{review}');
    expect(metric?.dataPoints.map((p) => [p.attributes, p.value])).toEqual([
      [{ outcome: 'success' }, 1],
      [{ outcome: 'partial' }, 2],
    ]);
  });

  it('gives histograms the declared bucket boundaries through advice', async () => {
    const test = createTestMeter();
    createInstruments(test.meter, 'mcp-server').mcpOperationDuration.record(0.03, { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'review_diff' });
    const [point] = await test.points('mcp.server.operation.duration');
    const value = point?.value as { buckets: { boundaries: number[]; counts: number[] }; count: number };
    expect(value.buckets.boundaries).toEqual([...SECONDS_BUCKETS]);
    expect(value.count).toBe(1);
    expect(point?.attributes).toEqual({ 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'review_diff' });
  });

  it('reads observable gauges through callbacks that can be removed', async () => {
    const test = createTestMeter();
    const m = createInstruments(test.meter, 'worker');
    let calls = 0;
    const remove = m.queueDepth.addCallback((observer) => {
      calls++;
      observer.observe(4, { 'messaging.destination.name': 'reviews', state: 'waiting' });
      observer.observe(1, { 'messaging.destination.name': 'reviews', state: 'active' });
    });
    expect((await test.points('lookout.queue.depth')).map((p) => [p.attributes.state, p.value])).toEqual([
      ['waiting', 4],
      ['active', 1],
    ]);
    expect(calls).toBe(1);
    remove();
    await test.collect();
    expect(calls).toBe(1);
  });

  it('takes no attributes for a label-less gauge', async () => {
    const test = createTestMeter();
    createInstruments(test.meter, 'audit').auditSpoolSize.addCallback((o) => o.observe(7));
    expect((await test.points('lookout.audit.spool.size')).map((p) => p.value)).toEqual([7]);
  });
});

describe('run-time enforcement', () => {
  const setup = () => {
    const test = createTestMeter();
    const violations: AttributeViolation[] = [];
    const warnings = captureWarnings();
    return { test, violations, warnings, onViolation: (v: AttributeViolation) => violations.push(v) };
  };

  it('replaces an undeclared value with "other" when the label declares it', async () => {
    const { test, violations, onViolation } = setup();
    const m = createInstruments(test.meter, 'reviewer', { onViolation });
    m.reviewModuleFailures.add(1, { module: 'made-up' as 'secrets' });
    expect((await test.points('lookout.review.module.failures')).map((p) => p.attributes)).toEqual([{ module: 'other' }]);
    expect(violations).toEqual([{ metric: 'lookout.review.module.failures', label: 'module', problem: 'undeclared_value', action: 'replaced', first: true }]);
  });

  it('uses an explicit fallback (error.type → _OTHER)', async () => {
    const { test, onViolation } = setup();
    const m = createInstruments(test.meter, 'mcp-server', { onViolation });
    m.mcpOperationDuration.record(0.1, { 'mcp.method.name': 'tools/call', 'error.type': 'ECONNRESET' as '_OTHER' });
    const [point] = await test.points('mcp.server.operation.duration');
    expect(point?.attributes['error.type']).toBe('_OTHER');
  });

  it('drops the measurement when there is no fallback, warning once and reporting every time', async () => {
    const { test, violations, warnings, onViolation } = setup();
    const m = createInstruments(test.meter, 'reviewer', { onViolation });
    m.reviews.add(1, { outcome: 'user-42' as 'success' });
    m.reviews.add(1, { outcome: 'user-43' as 'success' });
    expect(await test.points('lookout.reviews')).toEqual([]);
    expect(violations.map((v) => [v.action, v.first])).toEqual([['dropped', true], ['dropped', false]]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/lookout\.reviews: undeclared_value for label "outcome"; measurement dropped/);
    expect(warnings.join()).not.toMatch(/user-4/); // the offending value is never logged
  });

  it('drops a measurement missing a required label without fallback', async () => {
    const { test, onViolation, violations } = setup();
    const m = createInstruments(test.meter, 'reviewer', { onViolation });
    m.reviews.add(1, {} as { outcome: 'success' });
    expect(await test.points('lookout.reviews')).toEqual([]);
    expect(violations[0]).toMatchObject({ label: 'outcome', problem: 'missing_label', action: 'dropped' });
  });

  it('strips undeclared label keys but keeps the measurement', async () => {
    const { test, onViolation, violations } = setup();
    const m = createInstruments(test.meter, 'reviewer', { onViolation });
    m.reviews.add(1, { outcome: 'success', user_id: 'u-1' } as { outcome: 'success' });
    expect((await test.points('lookout.reviews')).map((p) => p.attributes)).toEqual([{ outcome: 'success' }]);
    expect(violations[0]).toMatchObject({ label: 'user_id', problem: 'unknown_label', action: 'stripped' });
  });

  it('removes optional labels passed as undefined so they do not split series', async () => {
    const test = createTestMeter();
    const m = createInstruments(test.meter, 'mcp-server');
    m.mcpOperationDuration.record(0.1, { 'mcp.method.name': 'ping', 'error.type': undefined });
    m.mcpOperationDuration.record(0.1, { 'mcp.method.name': 'ping' });
    const points = await test.points('mcp.server.operation.duration');
    expect(points).toHaveLength(1);
    expect(points[0]?.attributes).toEqual({ 'mcp.method.name': 'ping' });
  });

  it('validates gauge observations too', async () => {
    const { test, onViolation } = setup();
    createInstruments(test.meter, 'worker', { onViolation }).queueDepth.addCallback((o) => {
      o.observe(3, { 'messaging.destination.name': 'reviews', state: 'paused' as 'waiting' });
      o.observe(2, { 'messaging.destination.name': 'reviews', state: 'delayed' });
    });
    expect((await test.points('lookout.queue.depth')).map((p) => p.attributes.state)).toEqual(['delayed']);
  });
});

describe('guard hot path', () => {
  it('returns the caller’s object untouched when valid (no allocation)', () => {
    const guard = compileGuard(inventory.reviewFindings, new Set());
    const attributes = { module: 'secrets', severity: 'error' };
    expect(guard(attributes)).toBe(attributes);
  });

  it('accepts an optional label left out, and repairs only when needed', () => {
    const guard = compileGuard(inventory.mcpOperationDuration, new Set());
    const ok = { 'mcp.method.name': 'initialize' };
    expect(guard(ok)).toBe(ok);
    expect(guard({ 'mcp.method.name': 'resources/list' })).toEqual({ 'mcp.method.name': '_OTHER' });
    expect(compileGuard(inventory.reviews, new Set())({ outcome: 'nope' })).toBe(DROP);
  });

  it('matches numeric values by their string form on the slow path', () => {
    const guard = compileGuard(inventory.mcpOperationDuration, new Set());
    expect(guard({ 'mcp.method.name': 'tools/call', 'error.type': -32601 })).toEqual({ 'mcp.method.name': 'tools/call', 'error.type': '-32601' });
  });
});

// Compile-time checks: `tsc` fails if any of these lines stops being an error.
describe('types', () => {
  it('reject undeclared labels, values and metrics at compile time', () => {
    const m = createInstruments(createTestMeter().meter, 'reviewer');
    const spy = vi.fn();
    const typeChecks = () => {
      // @ts-expect-error — value outside the declared set
      m.reviews.add(1, { outcome: 'great' });
      // @ts-expect-error — undeclared label
      m.reviews.add(1, { outcome: 'success', user_id: 'u' });
      // @ts-expect-error — required label missing
      m.reviewFindings.add(1, { module: 'secrets' });
      // @ts-expect-error — attributes are required when the metric has required labels
      m.reviews.add(1);
      // @ts-expect-error — another service's metric is not on the reviewer's instruments
      m.mcpRequests.add(1);
      // @ts-expect-error — histograms record, counters add
      m.reviewDuration.add(1, { outcome: 'success' });
      const w = createInstruments(createTestMeter().meter, 'audit');
      // @ts-expect-error — a label-less metric takes no attributes
      w.auditSpoolSize.addCallback((o) => o.observe(1, { any: 'x' }));
      spy();
    };
    expect(typeof typeChecks).toBe('function'); // compiled, never run
    expect(spy).not.toHaveBeenCalled();
  });
});
