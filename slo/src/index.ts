// @lookout/slo: what the end-to-end test (apps/stack) needs from the catalogue.
export { renderRuleFiles, runSloth, writeRuleFiles, type Rule, type RuleFile, type SlothOptions } from './sloth.ts';
export { alertNames, loadRules, recordedNames, type LoadedRule } from './rules.ts';
export { runbookNames, runbookQueries, type RunbookQuery } from './runbooks.ts';
export { knownMetrics, metricSelectors, type Expression } from './metric-existence.ts';
export { parsePromql, type Selector } from './promql.ts';
export { REPO_ROOT, RULES_DIR, RUNBOOK_BASE_URL, SLO_SPEC, tool, buildHint } from './paths.ts';
