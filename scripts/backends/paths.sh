#!/usr/bin/env bash
# Prints where a backend binary lives in the cache, without building anything, so tests
# and start scripts can find it:
#
#   PROMTOOL="$(scripts/backends/paths.sh promtool)" || echo "not built: $PROMTOOL"
#   scripts/backends/paths.sh --all     # COMMAND PATH lines for every built binary
#
# Exit status: 0 when the binary exists, 1 when it does not (the path is printed anyway,
# so an error can name it), 2 on a wrong command name.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VERSIONS_FILE="${LOOKOUT_VERSIONS_FILE:-$SCRIPT_DIR/../../deploy/versions.json}"

case "${1:-}" in
  "" | -h | --help)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  --all)
    "$SCRIPT_DIR/build.sh" --list | awk 'NR > 1 && $3 == "built" { print $1, $4 }'
    exit 0
    ;;
esac

# The rule lives in @lookout/backends (packages/backends), shared with npm start and the tests.
path="$(node "$SCRIPT_DIR/lib/versions.mjs" "$VERSIONS_FILE" path "$1")" || exit 2
echo "$path"
[[ -x "$path" ]]
