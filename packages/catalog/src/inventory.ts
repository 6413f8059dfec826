// The one source of truth for every metric Lookout emits. Adding a metric means adding it
// here, running `npm run generate -w @lookout/catalog`, and committing metrics_inventory.json.
// Names follow OTel semantic conventions where one exists (mcp.*, messaging.*), `lookout.*` otherwise.
// Label values are closed sets: each value is a time series, so nothing user-derived belongs here.
import type { Inventory } from './types.ts';

/** Seconds-suited histogram boundaries (the OTel HTTP semconv advice): 5 ms to 10 s. */
export const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] as const;

/** Reviewer modules, mirrored by apps/reviewer/src/pipeline (a test there keeps them in step). */
export const REVIEW_MODULES = ['secrets', 'todos', 'oversized_change', 'debug_leftovers'] as const;

/** Tools served by apps/mcp-server. */
export const MCP_TOOLS = ['review_diff', 'submit_review_job', 'get_review', 'bot_digest'] as const;

/** MCP methods worth a series of their own; the rest fold into "_OTHER". */
export const MCP_METHODS = ['initialize', 'notifications/initialized', 'ping', 'tools/list', 'tools/call'] as const;

/**
 * error.type values for MCP operations. The MCP semconv says error.type SHOULD be the JSON-RPC
 * error code as a string; a tool result with isError=true is "tool_error"; anything else "_OTHER".
 */
export const MCP_ERROR_TYPES = [
  '-32700', // parse error
  '-32600', // invalid request
  '-32601', // method not found
  '-32602', // invalid params
  '-32603', // internal error
  'tool_error',
  '_OTHER',
] as const;

export const JOB_KINDS = ['review', 'digest'] as const;
export const QUEUES = ['reviews'] as const;
/** error.type values for worker jobs; the worker maps its errors onto these. */
export const JOB_ERROR_TYPES = ['timeout', 'invalid_payload', 'upstream_unavailable', '_OTHER'] as const;

/** Components the drift check compares with deploy/ (@lookout/deploy-config COMPONENTS; a test keeps them in step). */
export const DRIFT_COMPONENTS = ['prometheus', 'alertmanager', 'grafana'] as const;
/** Sections of their configs (@lookout/deploy-config SECTIONS, every component). */
export const DRIFT_SECTIONS = ['global', 'alerting', 'rule_files', 'scrape_configs', 'rule_groups', 'route', 'receivers', 'inhibit_rules', 'templates', 'dashboards', 'datasources', 'other'] as const;

/** The canary's probes (apps/canary): review_diff, a review job to completion, bot_digest. */
export const CANARY_PROBES = ['review', 'job', 'digest'] as const;
/** Why a canary probe failed: a closed set (apps/canary classifies every failure into one). */
export const CANARY_FAILURE_REASONS = ['timeout', 'auth', 'wrong_result', 'server_error', 'unreachable'] as const;

const probeLabel = { values: CANARY_PROBES, description: 'The canary probe.' } as const;

const driftComponentLabel = {
  values: DRIFT_COMPONENTS,
  description: 'The checked component.',
} as const;

const moduleLabel = {
  values: [...REVIEW_MODULES, 'other'],
  description: 'Reviewer module name.',
} as const;

// Unlisted MCP methods and tools are `_OTHER`, as the semantic conventions (and the MCP spans) have it.
const mcpMethodLabel = {
  values: [...MCP_METHODS, '_OTHER'],
  fallback: '_OTHER',
  description: 'MCP JSON-RPC method (mcp.method.name); unlisted methods count as "_OTHER".',
} as const;

const queueLabel = {
  values: QUEUES,
  description: 'BullMQ queue name (messaging.destination.name).',
} as const;

const jobKindLabel = {
  values: [...JOB_KINDS, 'other'],
  description: 'Kind of job carried by the queue; unknown job names count as "other".',
} as const;

export const inventory = {
  // ── reviewer ────────────────────────────────────────────────────────────────
  reviewDuration: {
    name: 'lookout.review.duration',
    instrument: 'histogram',
    unit: 's',
    service: 'reviewer',
    description: 'Duration of a whole review pipeline run.',
    labels: {
      outcome: { values: ['success', 'partial', 'failure'], description: 'partial: some modules failed; failure: all failed.' },
    },
    buckets: SECONDS_BUCKETS,
  },
  reviewModuleDuration: {
    name: 'lookout.review.module.duration',
    instrument: 'histogram',
    unit: 's',
    service: 'reviewer',
    description: 'Duration of one reviewer module within a pipeline run.',
    labels: {
      module: moduleLabel,
      outcome: { values: ['success', 'failure'], description: 'failure: the module threw.' },
    },
    buckets: SECONDS_BUCKETS,
  },
  reviewFindings: {
    name: 'lookout.review.findings',
    instrument: 'counter',
    unit: '{finding}',
    service: 'reviewer',
    description: 'Findings reported by reviewer modules.',
    labels: {
      module: moduleLabel,
      severity: { values: ['info', 'warning', 'error'], description: 'Finding severity.' },
    },
  },
  reviews: {
    name: 'lookout.reviews',
    instrument: 'counter',
    unit: '{review}',
    service: 'reviewer',
    description: 'Review pipeline runs by outcome.',
    labels: {
      outcome: { values: ['success', 'partial', 'failure'], description: 'partial: some modules failed; failure: all failed.' },
    },
  },
  reviewModuleFailures: {
    name: 'lookout.review.module.failures',
    instrument: 'counter',
    unit: '{failure}',
    service: 'reviewer',
    description: 'Reviewer modules that threw; the rest of the pipeline still ran.',
    labels: { module: moduleLabel },
  },

  // ── mcp-server ──────────────────────────────────────────────────────────────
  mcpRequests: {
    name: 'lookout.mcp.requests',
    instrument: 'counter',
    unit: '{request}',
    service: 'mcp-server',
    description: 'MCP requests and notifications handled, by method, tool and outcome.',
    labels: {
      'mcp.method.name': mcpMethodLabel,
      'gen_ai.tool.name': {
        values: [...MCP_TOOLS, 'none', '_OTHER'],
        fallback: '_OTHER',
        description: 'Tool called by tools/call ("_OTHER" for a tool the server does not register); "none" for every other method, so all series share one label set.',
      },
      outcome: { values: ['success', 'error'], description: 'error: JSON-RPC error or a tool result with isError.' },
    },
  },
  mcpOperationDuration: {
    name: 'mcp.server.operation.duration',
    instrument: 'histogram',
    unit: 's',
    service: 'mcp-server',
    description: 'MCP request or notification duration as observed on the receiver, from receipt until the result or ack is sent.',
    labels: {
      'mcp.method.name': mcpMethodLabel,
      'gen_ai.tool.name': {
        values: [...MCP_TOOLS, '_OTHER'],
        fallback: '_OTHER',
        optional: true,
        description: 'Set for tools/call only (semconv: conditionally required).',
      },
      'error.type': {
        values: MCP_ERROR_TYPES,
        optional: true,
        fallback: '_OTHER',
        description: 'Set if and only if the operation failed: JSON-RPC error code as a string, tool_error, or _OTHER.',
      },
    },
    buckets: SECONDS_BUCKETS,
  },
  mcpAuthAttempts: {
    name: 'lookout.mcp.auth.attempts',
    instrument: 'counter',
    unit: '{attempt}',
    service: 'mcp-server',
    description: 'API key checks on the MCP endpoint.',
    labels: {
      outcome: { values: ['success', 'missing', 'invalid'], description: 'missing: no key sent; invalid: key not accepted.' },
    },
  },

  // ── worker ──────────────────────────────────────────────────────────────────
  jobProcessDuration: {
    name: 'messaging.process.duration',
    instrument: 'histogram',
    unit: 's',
    service: 'worker',
    description: 'Duration of processing one queue job (messaging semconv).',
    labels: {
      'messaging.system': { values: ['bullmq'], description: 'Messaging system.' },
      'messaging.operation.name': { values: ['process'], description: 'Messaging operation.' },
      'messaging.destination.name': queueLabel,
      'lookout.job.kind': jobKindLabel,
      'error.type': {
        values: JOB_ERROR_TYPES,
        optional: true,
        fallback: '_OTHER',
        description: 'Set if and only if processing failed.',
      },
    },
    buckets: SECONDS_BUCKETS,
  },
  jobsProcessed: {
    name: 'lookout.jobs.processed',
    instrument: 'counter',
    unit: '{job}',
    service: 'worker',
    description: 'Jobs finished by the worker, by kind and outcome.',
    labels: {
      'lookout.job.kind': jobKindLabel,
      outcome: { values: ['completed', 'failed', 'retried'], description: 'retried: failed, another attempt is scheduled.' },
    },
  },
  queueDepth: {
    name: 'lookout.queue.depth',
    instrument: 'observable_gauge',
    unit: '{job}',
    service: 'worker',
    description: 'Jobs in the queue, by state.',
    labels: {
      'messaging.destination.name': queueLabel,
      state: { values: ['waiting', 'active', 'delayed', 'failed'], description: 'BullMQ job state.' },
    },
  },
  queueOldestWaitingAge: {
    name: 'lookout.queue.oldest_waiting_job.age',
    instrument: 'observable_gauge',
    unit: 's',
    service: 'worker',
    description: 'Age of the oldest waiting job; 0 when none waits.',
    labels: { 'messaging.destination.name': queueLabel },
  },
  sloReportRuns: {
    name: 'lookout.slo_report.runs',
    instrument: 'counter',
    unit: '{run}',
    service: 'worker',
    description: 'Runs of the scheduled SLO report job (the CSV of the previous period), by outcome.',
    labels: {
      outcome: { values: ['success', 'failure'], description: 'failure: Prometheus unreachable or refused, or the file could not be written.' },
    },
  },
  sloReportAge: {
    name: 'lookout.slo_report.age',
    instrument: 'observable_gauge',
    unit: 's',
    service: 'worker',
    description: 'Age of the newest SLO report file in the reports directory; no series until the first one is written.',
    labels: {},
  },

  // ── worker: the configuration drift check (@lookout/deploy-config, docs/runbooks/ConfigDrift.md)
  configDrift: {
    name: 'lookout.config.drift',
    instrument: 'observable_gauge',
    unit: '{object}',
    service: 'worker',
    description: 'Objects of a component whose running config differs from deploy/ at the last drift check; 0 when in sync. Only components the last check could read.',
    labels: {
      component: driftComponentLabel,
      object: {
        values: DRIFT_SECTIONS,
        description: 'Part of the config (the section of @lookout/deploy-config): global, scrape_configs, rule_groups, route, receivers, …',
      },
    },
  },
  driftCheckSuccess: {
    name: 'lookout.drift.check.success',
    instrument: 'observable_gauge',
    unit: '{check}',
    service: 'worker',
    description: '1 when the last drift check could read the component, 0 when it could not (unreachable, bad answer).',
    labels: { component: driftComponentLabel },
  },
  driftCheckTimestamp: {
    name: 'lookout.drift.check.timestamp',
    instrument: 'observable_gauge',
    unit: 's',
    service: 'worker',
    description: 'Unix time of the last drift check of the component, readable or not.',
    labels: { component: driftComponentLabel },
  },

  // ── canary: synthetic probes as a client (apps/canary, docs/runbooks/CanarySuccessBudgetBurn.md)
  // probe_success and probe_duration_seconds carry the blackbox exporter's names, so dashboards
  // and habits made for probes apply.
  probeSuccess: {
    name: 'probe.success',
    instrument: 'observable_gauge',
    unit: '{probe}',
    service: 'canary',
    description: '1 when the last run of the probe succeeded, 0 when it failed.',
    labels: { probe: probeLabel },
  },
  probeDuration: {
    name: 'probe.duration',
    instrument: 'histogram',
    unit: 's',
    service: 'canary',
    description: 'Duration of one probe run, connect to verdict, failed or not.',
    labels: { probe: probeLabel },
    buckets: SECONDS_BUCKETS,
  },
  canaryRuns: {
    name: 'lookout.canary.runs',
    instrument: 'counter',
    unit: '{run}',
    service: 'canary',
    description: 'Probe runs by outcome: the canary success SLO.',
    labels: { probe: probeLabel, outcome: { values: ['success', 'failure'], description: 'The run verdict; a failure is never retried into a success.' } },
  },
  canaryFailures: {
    name: 'lookout.canary.failures',
    instrument: 'counter',
    unit: '{failure}',
    service: 'canary',
    description: 'Failed probe runs by reason.',
    labels: {
      probe: probeLabel,
      reason: {
        values: CANARY_FAILURE_REASONS,
        description: 'timeout: no verdict by the deadline; auth: the key was refused; wrong_result: an answer that differs from the expected one; server_error: an error answer; unreachable: no connection.',
      },
    },
  },

  // ── every service (created by @lookout/otel-bootstrap) ──────────────────────
  telemetryDropped: {
    name: 'lookout.telemetry.dropped',
    instrument: 'counter',
    unit: '{item}',
    service: 'all',
    createdBy: 'otel-bootstrap',
    description: 'Telemetry items (spans, log records, metric exports) dropped before export.',
    labels: {
      signal: { values: ['traces', 'logs', 'metrics'], description: 'Telemetry signal.' },
      reason: { values: ['queue_full', 'export_failed'], description: 'Why the items were dropped.' },
    },
  },

  // ── audit (@lookout/audit, in every process that records audit events) ──────
  auditSpoolSize: {
    name: 'lookout.audit.spool.size',
    instrument: 'observable_gauge',
    unit: '{event}',
    service: 'audit',
    description: 'Audit events spooled locally and not yet delivered.',
    labels: {},
  },
  auditSpoolUsage: {
    name: 'lookout.audit.spool.usage',
    instrument: 'observable_gauge',
    unit: 'By',
    service: 'audit',
    description: 'Bytes of undelivered audit events in the local spool; record() rejects once it reaches the spool limit.',
    labels: {},
  },
  auditOldestUndeliveredAge: {
    name: 'lookout.audit.spool.oldest_undelivered.age',
    instrument: 'observable_gauge',
    unit: 's',
    service: 'audit',
    description: 'Age of the oldest undelivered audit event; 0 when the spool is empty.',
    labels: {},
  },
} as const satisfies Inventory;

export type LookoutInventory = typeof inventory;
export type MetricKey = keyof LookoutInventory;

// Frozen so the run-time inventory can't be extended behind the type system's back.
function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
deepFreeze(inventory);
