#!/usr/bin/env bash
# The only check of Grafana itself: against the compose stack (`docker compose -p lookout -f
# deploy/docker-compose.yml up -d --build`), through Grafana's HTTP API. Needs Docker, so it runs in
# CI's compose-smoke job (.github/workflows/ci.yml) on a hosted runner, never in `npm test` here.
#   1. /api/health;
#   2. every provisioned data source's health;
#   3. the provisioned dashboards, and one panel query of each kind through /api/ds/query;
#   4. the correlations as Grafana stored them ($$ escaping), and the trace-to-logs query run on a real trace;
#   5. `lookout drift` on the compose Prometheus, Alertmanager and Grafana (committed files as they are,
#      a short-lived service account token in a 0600 file): exit 0, in sync. Needs Node 24 and `npm ci`.
set -euo pipefail

GRAFANA=${GRAFANA_URL:-http://127.0.0.1:3000}
AUTH="admin:${GRAFANA_ADMIN_PASSWORD:-admin}"
DASHBOARDS=$(dirname "$0")/grafana/dashboards
REPO=$(cd "$(dirname "$0")/.." && pwd)

fail() { echo "compose-smoke: $*" >&2; exit 1; }
api() { curl -fsS -u "$AUTH" -H 'content-type: application/json' "$@"; }
# Waits up to $2 seconds for command $1 to succeed.
wait_for() {
  local deadline=$((SECONDS + $2))
  until eval "$1" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "timed out after $2 s waiting for: $1"
    sleep 2
  done
}
# POSTs one query to /api/ds/query and prints the number of frames that hold at least one row.
ds_query() {
  api -X POST "$GRAFANA/api/ds/query" -d "{\"from\":\"now-15m\",\"to\":\"now\",\"queries\":[$1]}" |
    jq '[.results[] | if .error then error("query failed: " + .error) else .frames[]? | select((.data.values[0] // []) | length > 0) end] | length'
}

echo '1. Grafana /api/health'
wait_for "curl -fsS $GRAFANA/api/health" 180
[[ $(curl -fsS "$GRAFANA/api/health" | jq -r .database) == ok ]] || fail 'Grafana reports its database is not ok'

echo '2. every data source healthy'
for uid in $(api "$GRAFANA/api/datasources" | jq -r '.[].uid'); do
  wait_for "api $GRAFANA/api/datasources/uid/$uid/health | jq -e '.status == \"OK\"'" 120
  echo "   $uid: OK"
done

echo '3. dashboards provisioned, and panel queries through /api/ds/query'
for file in "$DASHBOARDS"/*.json; do
  uid=$(jq -r .uid "$file")
  api "$GRAFANA/api/dashboards/uid/$uid" | jq -e --arg uid "$uid" '.dashboard.uid == $uid' >/dev/null || fail "dashboard $uid is not provisioned"
  echo "   $uid: provisioned"
done
# Traffic for the panels and for a trace: reviews through the reviewer (1 trace in 10 is kept).
diff='diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1 +1,2 @@\n a\n+// TODO: x\n'
for _ in $(seq 40); do curl -fsS http://127.0.0.1:4101/review -H 'content-type: application/json' --data "{\"diff\":\"$diff\"}" >/dev/null; done
# The pipeline dashboard's "Accepted per second" (spans), with its variables as Grafana substitutes them.
expr=$(jq -r '.panels[] | select(.title | startswith("Accepted per second")) | .targets[0].expr' "$DASHBOARDS/lookout-pipeline.json" | sed 's/\$__rate_interval/1m/g')
query=$(jq -nc --arg expr "$expr" '{refId:"A", datasource:{uid:"prometheus", type:"prometheus"}, expr:$expr, range:true, intervalMs:15000, maxDataPoints:100}')
wait_for "[[ \$(ds_query '$query') -gt 0 ]]" 120
echo '   lookout-pipeline "Accepted per second": data'

echo '4. correlations as Grafana stored them, and the trace-to-logs query on a real trace'
stored=$(api "$GRAFANA/api/datasources/uid/jaeger" | jq -r .jsonData.tracesToLogsV2.query)
[[ $stored == *'${__trace.traceId}'* ]] || fail "Jaeger's tracesToLogsV2 query lost its variable in provisioning (\$\$ escaping): $stored"
derived=$(api "$GRAFANA/api/datasources/uid/logs-app" | jq -r '.jsonData.derivedFields[0].url')
[[ $derived == '${__value.raw}' ]] || fail "the trace_id derived field's url lost its variable in provisioning: $derived"
wait_for "curl -fsS 'http://127.0.0.1:16686/api/traces?service=reviewer&limit=1' | jq -e '.data | length > 0'" 120
trace_id=$(curl -fsS 'http://127.0.0.1:16686/api/traces?service=reviewer&limit=1' | jq -r '.data[0].traceID')
logs_query=${stored//'${__trace.traceId}'/$trace_id}
query=$(jq -nc --arg expr "$logs_query" '{refId:"A", datasource:{uid:"logs-app", type:"victoriametrics-logs-datasource"}, expr:$expr, queryType:"instant", maxLines:100}')
frames=$(ds_query "$query")
echo "   trace $trace_id -> logs query ran through Grafana ($frames frame(s) with rows): $logs_query"
echo '5. lookout drift: Prometheus, Alertmanager and Grafana in sync with the repository'
# A service account for this run only (Admin: listing data sources needs datasources:read), deleted on exit.
account=$(api -X POST "$GRAFANA/api/serviceaccounts" -d "{\"name\":\"lookout-drift-smoke-$$\",\"role\":\"Admin\"}" | jq -r .id)
token_file=$(mktemp)
trap 'rm -f "$token_file"; api -X DELETE "$GRAFANA/api/serviceaccounts/$account" >/dev/null || true' EXIT
chmod 600 "$token_file"
api -X POST "$GRAFANA/api/serviceaccounts/$account/tokens" -d '{"name":"lookout-drift-smoke"}' | jq -r .key >"$token_file"
node "$REPO/apps/cli/src/main.ts" drift --no-data-dir --grafana-url "$GRAFANA" --grafana-token-file "$token_file" ||
  fail "lookout drift exited $? (1 drift, 2 unreadable): the compose stack differs from deploy/ as printed above"
echo 'compose-smoke: OK'
