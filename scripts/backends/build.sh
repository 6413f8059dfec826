#!/usr/bin/env bash
# Builds Lookout's observability backends from Go modules into a cache outside the checkout.
# Run with --help for usage. Versions come from deploy/versions.json only.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
VERSIONS_FILE="${LOOKOUT_VERSIONS_FILE:-$REPO_ROOT/deploy/versions.json}"
VERSIONS=(node "$SCRIPT_DIR/lib/versions.mjs" "$VERSIONS_FILE")
# The cache root and binary paths come from @lookout/backends, the rule npm start and the tests use.
CACHE_DIR="$("${VERSIONS[@]}" cache-dir)"
BIN_DIR="$CACHE_DIR/bin"
SRC_DIR="$CACHE_DIR/src"
TOOLS_DIR="$CACHE_DIR/tools"
LOG_DIR="$CACHE_DIR/logs"
TIMINGS_FILE="$LOG_DIR/timings.tsv"
HEARTBEAT_SECONDS="${LOOKOUT_BUILD_HEARTBEAT:-30}"
# A go command that runs longer than this is stopped, and the component reported failed: a cold
# build that hangs (a stalled module download) must not hold npm start forever.
BUILD_TIMEOUT_MINUTES="${LOOKOUT_BUILD_TIMEOUT_MINUTES:-45}"
NICE_LEVEL="${LOOKOUT_BUILD_NICE:-15}"

usage() {
  cat <<EOF
Usage: scripts/backends/build.sh [options] [all|COMPONENT|COMPONENT:COMMAND...]

Builds each pinned backend once into \$LOOKOUT_CACHE_DIR/bin/COMMAND-VERSION
(default cache: \$HOME/.cache/lookout; now: $CACHE_DIR). A binary that is already
there is not rebuilt, so a warm run takes about a second.

Components with build=true in deploy/versions.json:
  $("${VERSIONS[@]}" buildable | tr '\n' ' ')
Default: all of them, one at a time, in that order. COMPONENT:COMMAND builds only that command
(npm start asks for prometheus:prometheus: it runs no promtool, whose build is the heavier).

Options:
  --print-path COMMAND  print the cached path of COMMAND (e.g. promtool), build nothing;
                        exits 1 when it has not been built (same as scripts/backends/paths.sh)
  --force               rebuild even when the binary exists
  --list                print every command with its path and whether it is built
  -h, --help            this text

Environment:
  LOOKOUT_CACHE_DIR        cache root (bin/, src/ wrapper modules, tools/ OCB, logs/)
  LOOKOUT_BUILD_NICE       nice level of the go commands (default 15: the machine has 2 cores)
  LOOKOUT_BUILD_HEARTBEAT  seconds between progress lines (default 30)
  LOOKOUT_BUILD_TIMEOUT_MINUTES  stop a go command that runs longer than this (default 45)

Each component logs to \$LOOKOUT_CACHE_DIR/logs/COMPONENT-VERSION.log; cold build times
are appended to logs/timings.tsv.
EOF
}

say() { printf '[backends %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

format_duration() {
  local s=$1
  printf '%dm%02ds' $((s / 60)) $((s % 60))
}

# Loads C_* variables describing one component.
load_component() {
  eval "$("${VERSIONS[@]}" info "$1")"
}

binary_path() { "${VERSIONS[@]}" path "$1"; }

# load_component for a target: COMPONENT, or COMPONENT:COMMAND to keep only that command.
# C_TARGET is the target's name in logs/timings.tsv, so a partial build never stands for a whole one.
load_target() {
  local name=${1%%:*} only=
  [[ "$1" == *:* ]] && only=${1#*:}
  load_component "$name"
  C_TARGET=$name
  [[ -n "$only" ]] || return 0
  local pair kept=
  for pair in $C_COMMANDS; do [[ "${pair%%=*}" == "$only" ]] && kept=$pair; done
  if [[ -z "$kept" ]]; then
    echo "build.sh: $name has no command $only (its commands: $(for p in $C_COMMANDS; do printf '%s ' "${p%%=*}"; done))" >&2
    exit 2
  fi
  C_COMMANDS=$kept
  C_TARGET=$1
}

# Runs "$@" niced, with output to $LOG, printing a heartbeat line while it runs.
# The heartbeat counts packages compiled so far (go build -v prints one per line).
run_logged() {
  local label=$1; shift
  local started=$SECONDS
  nice -n "$NICE_LEVEL" "$@" >>"$LOG" 2>&1 &
  local pid=$!
  local next_beat=$((SECONDS + HEARTBEAT_SECONDS))
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if ((SECONDS - started > BUILD_TIMEOUT_MINUTES * 60)); then
      pkill -TERM -P "$pid" 2>/dev/null; kill -TERM "$pid" 2>/dev/null
      echo "== stopped: ran longer than LOOKOUT_BUILD_TIMEOUT_MINUTES=$BUILD_TIMEOUT_MINUTES" >>"$LOG"
      say "$label: stopped after $BUILD_TIMEOUT_MINUTES min (LOOKOUT_BUILD_TIMEOUT_MINUTES); its log is $LOG"
      wait "$pid" 2>/dev/null
      return 1
    fi
    if ((SECONDS >= next_beat)); then
      local last
      last="$(tail -n 1 "$LOG" 2>/dev/null | cut -c1-80)"
      say "$label: $(format_duration $((SECONDS - COMPONENT_STARTED))) of ~$(format_duration "$COMPONENT_ESTIMATE") [$PROGRESS, all: $(format_duration $((SECONDS - TOTAL_STARTED))) of ~$(format_duration "$TOTAL_ESTIMATE")]; last: $last"
      next_beat=$((SECONDS + HEARTBEAT_SECONDS))
    fi
  done
  wait "$pid"
}

failure_hint() {
  if grep -q '403 Forbidden\|404 Not Found\|not available' "$LOG"; then
    echo "hint: the Go module proxy refused a module version (see the 403/404 line above)."
    echo "      Pin the previous patch or minor in deploy/versions.json and say why in its \$comment."
  elif grep -q 'requires go >=\|go.mod requires go' "$LOG"; then
    echo "hint: this version needs a newer Go than $(go env GOVERSION). Either pin an older version,"
    echo "      or export GOTOOLCHAIN=go1.27.3 (the one newer toolchain the proxy serves here)."
  elif grep -q 'pattern .*: no matching files found' "$LOG"; then
    echo "hint: this version embeds a built front-end (go:embed) that its module zip lacks."
    echo "      Pin an older version that commits its assets, and say why in deploy/versions.json."
  elif grep -q 'signal: killed\|out of memory' "$LOG"; then
    echo "hint: the compiler was killed (memory?). Retry alone: scripts/backends/build.sh $C_NAME"
  else
    echo "hint: read the whole log: $LOG ; rerun just this one with: scripts/backends/build.sh $C_NAME"
  fi
}

report_failure() {
  say "FAILED: $C_NAME $C_VERSION ($1). Last 30 lines of $LOG:"
  tail -n 30 "$LOG" | sed 's/^/    /'
  failure_hint | sed 's/^/    /'
}

# go build of one package into the cache, via a temp file renamed into place so a
# half-written binary is never mistaken for a built one.
go_build_into_cache() {
  local command=$1 package=$2 dir=$3
  local target tmp
  target="$(binary_path "$command")"
  tmp="$BIN_DIR/.$command-$C_VERSION.tmp.$$"
  local -a tag_args=()
  [[ -n "$C_TAGS" ]] && tag_args=(-tags "$C_TAGS")
  echo "== go build $package ($(date -u +%FT%TZ))" >>"$LOG"
  (cd "$dir" && run_logged "$C_NAME/$command" env GOFLAGS="-mod=mod -trimpath -buildvcs=false" \
    go build -v "${tag_args[@]}" -ldflags "-s -w $C_LDFLAGS" -o "$tmp" "$package") || {
    rm -f "$tmp"
    return 1
  }
  mv -f "$tmp" "$target"
}

# Writes $SRC_DIR/NAME-VERSION/go.mod: a wrapper module that requires the component and
# carries its replace directives (which `go install MODULE@VERSION` would refuse).
prepare_wrapper() {
  local dir=$1 gomod
  mkdir -p "$dir"
  echo "== go mod download -json $C_MODULE@$C_MODVER" >>"$LOG"
  gomod="$(nice -n "$NICE_LEVEL" go mod download -json "$C_MODULE@$C_MODVER" 2>>"$LOG" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}console.log(j.GoMod)})' 2>>"$LOG")" ||
    return 1
  "${VERSIONS[@]}" wrapper-gomod "$C_NAME" "$gomod" >"$dir/go.mod.new" 2>>"$LOG" || return 1
  # Keep go.mod/go.sum from a previous attempt when nothing changed: the resolved graph is reused.
  if cmp -s "$dir/go.mod.new" "$dir/go.mod.pinned" 2>/dev/null; then
    rm -f "$dir/go.mod.new"
  else
    cp "$dir/go.mod.new" "$dir/go.mod.pinned"
    mv -f "$dir/go.mod.new" "$dir/go.mod"
    rm -f "$dir/go.sum"
  fi
  cat "$dir/go.mod" >>"$LOG"
}

build_gomod_component() {
  local dir="$SRC_DIR/$C_NAME-$C_VERSION" pair command package
  prepare_wrapper "$dir" || return 1
  for pair in $C_COMMANDS; do
    command="${pair%%=*}"
    package="${pair#*=}"
    if [[ -x "$(binary_path "$command")" && "$FORCE" != true ]]; then
      say "$command $C_VERSION already built"
      continue
    fi
    say "$C_NAME: building $command from $package@$C_MODVER"
    go_build_into_cache "$command" "$package" "$dir" || return 1
  done
}

# OCB itself is cached in tools/ by version.
ensure_ocb() {
  OCB="$TOOLS_DIR/ocb-$C_BUILDER_VERSION"
  [[ -x "$OCB" ]] && return 0
  say "otelcol: installing OCB $C_BUILDER_MODULE@$C_BUILDER_VERSION"
  local gobin
  gobin="$(mktemp -d "$TOOLS_DIR/.gobin.XXXXXX")"
  run_logged "otelcol/ocb" env GOBIN="$gobin" GOFLAGS="-trimpath -buildvcs=false" go install -ldflags "-s -w" \
    "$C_BUILDER_MODULE@$C_BUILDER_VERSION" || { rm -rf "$gobin"; return 1; }
  mv -f "$gobin/builder" "$OCB"
  rm -rf "$gobin"
}

build_ocb_component() {
  local manifest="$REPO_ROOT/$C_MANIFEST"
  local dir="$SRC_DIR/$C_NAME-$C_VERSION"
  if [[ -x "$(binary_path otelcol)" && "$FORCE" != true ]] && manifest_matches; then
    say "otelcol $C_VERSION already built"
    return 0
  fi
  "${VERSIONS[@]}" check-manifest "$manifest" >>"$LOG" 2>&1 || return 1
  ensure_ocb || return 1
  mkdir -p "$dir"
  # The manifest's output_path points into the checkout; build in the cache instead.
  sed -E "s#^([[:space:]]*output_path:).*#\\1 $dir#" "$manifest" >"$dir/builder-config.yaml"
  say "otelcol: generating sources with OCB $C_BUILDER_VERSION"
  # --skip-get-modules: OCB's own step runs `go mod tidy`, which also fetches test-only
  # dependencies, some of which the proxy here does not serve. `go build -mod=mod` below
  # resolves just what the binary needs.
  (cd "$dir" && nice -n "$NICE_LEVEL" "$OCB" --config "$dir/builder-config.yaml" \
    --skip-compilation --skip-get-modules >>"$LOG" 2>&1) || return 1
  if [[ ! -f "$dir/go.mod" ]]; then
    # Newer OCB releases only write go.mod in the step we skip: write it from the manifest.
    (cd "$dir" && go mod init lookout.local/backends/otelcol >>"$LOG" 2>&1 &&
      grep -oE 'gomod:[[:space:]]*[^[:space:]]+[[:space:]]+[^[:space:]]+' "$dir/builder-config.yaml" |
      awk '{print $2 "@" $3}' | xargs env GOFLAGS=-mod=mod nice -n "$NICE_LEVEL" go get \
        "go.opentelemetry.io/collector/otelcol@$C_BUILDER_VERSION" >>"$LOG" 2>&1) || return 1
  fi
  say "otelcol: compiling (the longest build: ~1200 packages)"
  go_build_into_cache otelcol . "$dir" && manifest_hash >"$(binary_path otelcol).manifest-sha256"
}

# Seconds a cold build of the loaded component takes: its last cold build here (logs/timings.tsv),
# else the figure measured when it was pinned (coldBuildSeconds in versions.json), else 5 minutes.
estimate_seconds() {
  local recorded
  recorded="$(awk -F'\t' -v t="$C_TARGET" -v n="$C_NAME" -v v="$C_VERSION" \
    '$3 == v && $2 == t { s = $4 } $3 == v && $2 == n { c = $4 } END { print (s != "" ? s : c) }' "$TIMINGS_FILE" 2>/dev/null)"
  echo "${recorded:-${C_COLD_SECONDS:-300}}"
}

build_component() {
  local target=$1 name=${1%%:*}
  PROGRESS="$2"
  load_target "$target"
  COMPONENT_ESTIMATE="$(estimate_seconds)"
  COMPONENT_STARTED=$SECONDS
  if [[ "$C_BUILD" != true ]]; then
    say "skipping $name $C_VERSION: $C_REASON"
    return 0
  fi
  mkdir -p "$BIN_DIR" "$SRC_DIR" "$TOOLS_DIR" "$LOG_DIR"
  LOG="$LOG_DIR/$name-$C_VERSION.log"
  echo "==== $(date -u +%FT%TZ) build $name $C_VERSION ($(go env GOVERSION))" >>"$LOG"
  local started=$SECONDS missing_before
  missing_before="$(count_missing)"
  if [[ "$missing_before" == 0 ]]; then
    say "$name $C_VERSION already built"
    return 0
  fi
  say "== [$PROGRESS] $name $C_VERSION: building, about $(format_duration "$COMPONENT_ESTIMATE") (log: $LOG)"
  local status=0
  case "$C_KIND" in
    gomod) build_gomod_component || status=$? ;;
    ocb) build_ocb_component || status=$? ;;
    *) echo "unknown kind $C_KIND" >>"$LOG"; status=1 ;;
  esac
  local elapsed=$((SECONDS - started))
  if ((status != 0)); then
    report_failure "after $(format_duration "$elapsed")"
    FAILED+=("$name")
    return 0
  fi
  # Only first builds are timed: a --force rebuild reuses Go's build cache and is not cold.
  if [[ "$FORCE" != true ]]; then
    printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$C_TARGET" "$C_VERSION" "$elapsed" "$(go env GOVERSION)" >>"$TIMINGS_FILE"
  fi
  say "== $name $C_VERSION done in $(format_duration "$elapsed")"
}

# How many of the current component's commands are not built yet.
count_missing() {
  local pair n=0
  for pair in $C_COMMANDS; do
    [[ -x "$(binary_path "${pair%%=*}")" && "$FORCE" != true ]] || n=$((n + 1))
  done
  # The collector's binary is also stale when the manifest it was built from changed (same version).
  if [[ "$C_KIND" == ocb && "$n" == 0 ]] && ! manifest_matches; then n=1; fi
  echo "$n"
}

# The OCB manifest's hash, kept beside the collector binary: a component added to or dropped from
# otel-collector/builder-config.yaml rebuilds the binary even though its version did not change.
manifest_hash() { sha256sum "$REPO_ROOT/$C_MANIFEST" | cut -d' ' -f1; }
manifest_matches() { [[ "$(cat "$(binary_path otelcol).manifest-sha256" 2>/dev/null)" == "$(manifest_hash)" ]]; }

print_table() {
  local name pair command path state
  printf '%-14s %-10s %-8s %s\n' COMMAND VERSION STATE PATH
  for name in $("${VERSIONS[@]}" names); do
    load_component "$name"
    [[ "$C_KIND" == image ]] && continue
    for pair in $C_COMMANDS; do
      command="${pair%%=*}"
      path="$(binary_path "$command")"
      if [[ "$C_BUILD" != true ]]; then state=no-build
      elif [[ -x "$path" ]]; then state=built
      else state=missing
      fi
      printf '%-14s %-10s %-8s %s\n' "$command" "$C_VERSION" "$state" "$path"
    done
  done
}

print_path() {
  local owner
  owner="$("${VERSIONS[@]}" owner "$1")" || exit 2
  eval "$owner"
  local path
  path="$(binary_path "$1")"
  echo "$path"
  [[ -x "$path" ]]
}

# Everything runs from main so that bash has parsed the whole file before building:
# editing this script while a long build runs cannot change what that build does.
main() {
  FORCE=false
  TARGETS=()
  while (($#)); do
    case "$1" in
      -h | --help) usage; exit 0 ;;
      --force) FORCE=true ;;
      --print-path) print_path "${2:?--print-path needs a command name}"; exit $? ;;
      --list) print_table; exit 0 ;;
      all) mapfile -t -O "${#TARGETS[@]}" TARGETS < <("${VERSIONS[@]}" buildable) ;;
      -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
      *) TARGETS+=("$1") ;;
    esac
    shift
  done
  ((${#TARGETS[@]})) || mapfile -t TARGETS < <("${VERSIONS[@]}" buildable)

  command -v go >/dev/null || { echo "go is not on PATH: these backends are built from Go modules" >&2; exit 1; }
  command -v node >/dev/null || { echo "node is not on PATH: it reads deploy/versions.json" >&2; exit 1; }

  FAILED=()
  TOTAL_STARTED=$SECONDS
  # The whole run's estimate: the components with something left to build.
  TOTAL_ESTIMATE=0
  local to_build=()
  for target in "${TARGETS[@]}"; do
    load_target "$target"
    [[ "$C_BUILD" == true && "$(count_missing)" != 0 ]] || continue
    to_build+=("$target")
    TOTAL_ESTIMATE=$((TOTAL_ESTIMATE + $(estimate_seconds)))
  done
  say "building: ${TARGETS[*]} (cache: $CACHE_DIR, $(go env GOVERSION), nice $NICE_LEVEL)"
  ((${#to_build[@]})) && say "to build: ${to_build[*]}, about $(format_duration "$TOTAL_ESTIMATE") in all (estimates from logs/timings.tsv or versions.json)"
  local k=0
  for target in "${TARGETS[@]}"; do
    if [[ " ${to_build[*]} " == *" $target "* ]]; then k=$((k + 1)); fi
    build_component "$target" "$k of ${#to_build[@]}"
  done
  say "total $(format_duration $((SECONDS - TOTAL_STARTED)))"
  print_table
  if ((${#FAILED[@]})); then
    say "failed: ${FAILED[*]}"
    exit 1
  fi
}

main "$@"; exit $?
