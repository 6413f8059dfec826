import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inventory } from './inventory.ts';
import { buildManifest, renderManifest } from './manifest.ts';
import { checkManifest, DEFAULT_MANIFEST_PATH, generateManifest } from './manifest-file.ts';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const scratch = () => mkdtempSync(join(tmpdir(), 'catalog-'));

describe('metrics_inventory.json', () => {
  it('committed file equals the generator output (run `npm run generate -w @lookout/catalog` if this fails)', () => {
    expect(readFileSync(DEFAULT_MANIFEST_PATH, 'utf8')).toBe(renderManifest());
  });

  it('is 2-space JSON with a trailing newline and one entry per metric', () => {
    const text = renderManifest();
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "metrics": [\n    {\n      "key"');
    expect(buildManifest().metrics).toHaveLength(Object.keys(inventory).length);
  });

  it('describes a metric by its stored name (the one rules use), its /metrics name, labels and buckets', () => {
    const entry = buildManifest().metrics.find((m) => m.otel_name === 'mcp.server.operation.duration');
    expect(entry).toMatchObject({
      prometheus_name: 'mcp_server_operation_duration_seconds',
      metrics_endpoint_name: 'mcp_server_operation_duration',
      prometheus_type: 'histogram',
      service: 'mcp-server',
      unit: 's',
    });
    expect(entry?.prometheus_series).toContain('mcp_server_operation_duration_seconds_bucket');
    expect(entry?.labels.map((l) => l.prometheus_name)).toEqual(['error_type', 'gen_ai_tool_name', 'mcp_method_name']);
    expect(entry?.labels.find((l) => l.name === 'error.type')).toMatchObject({ optional: true, fallback: '_OTHER' });
    expect(entry?.buckets?.[0]).toBe(0.005);
  });

  it('keeps a stable order: metrics sorted by OTel name', () => {
    const names = buildManifest().metrics.map((m) => m.otel_name);
    expect(names).toEqual([...names].sort());
  });

  it('lists standard metrics apart from the inventory', () => {
    const standard = buildManifest().standard_metrics.map((m) => m.prometheus_name);
    expect(standard).toEqual(expect.arrayContaining(['http_client_request_duration_seconds', 'http_server_request_duration_seconds', 'target_info', 'v8js_gc_duration_seconds', 'nodejs_eventloop_delay_p99_seconds']));
  });
});

describe('generate / check', () => {
  it('check passes right after generate and fails on a stale file', () => {
    const file = join(scratch(), 'metrics_inventory.json');
    expect(checkManifest(file)).toMatchObject({ ok: false });
    expect(generateManifest(file).ok).toBe(true);
    expect(checkManifest(file)).toMatchObject({ ok: true });
    writeFileSync(file, readFileSync(file, 'utf8').replace('"lookout_reviews_total"', '"lookout_reviews"'));
    const stale = checkManifest(file);
    expect(stale.ok).toBe(false);
    expect(stale.message).toMatch(/is stale/);
    expect(stale.message).toMatch(/expected: .*lookout_reviews_total/);
    expect(stale.message).toMatch(/npm run generate -w @lookout\/catalog/);
  });

  it('the CLI exits non-zero with a clear message on a stale file, zero when fresh', () => {
    const file = join(scratch(), 'metrics_inventory.json');
    execFileSync(process.execPath, [cli, 'generate', '--file', file]);
    const fresh = spawnSync(process.execPath, [cli, 'check', '--file', file], { encoding: 'utf8' });
    expect(fresh.status).toBe(0);
    writeFileSync(file, '{}\n');
    const stale = spawnSync(process.execPath, [cli, 'check', '--file', file], { encoding: 'utf8' });
    expect(stale.status).toBe(1);
    expect(stale.stderr).toMatch(/is stale: it does not match src\/inventory.ts/);
  });

  it('the CLI documents its commands in --help', () => {
    const help = execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    expect(help).toMatch(/generate/);
    expect(help).toMatch(/check/);
  });
});
