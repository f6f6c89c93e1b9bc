# Shared helpers for the shell/ entry points. Sourced, not run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Slow, reusable downloads and builds live outside git, shared by every checkout.
CACHE=${ONESTOP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/onestop}
# emcc runs on the machine's node, which cannot see Debian's acorn module without this.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
JOBS=${JOBS:-$(nproc)}

say()  { printf '\033[1m[onestop]\033[0m %s\n' "$*" >&2; }
fail() { printf '\033[31m[onestop] FAILED: %s\033[0m\n' "$1" >&2; [ $# -gt 1 ] && printf '  fix: %s\n' "$2" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Builds quietly into a log; on failure shows the log's errors and stops.
run_logged() {  # $1 = step name, $2 = log file, rest = command
  local step=$1 log=$2
  shift 2
  mkdir -p "$(dirname "$log")"
  if ! "$@" >"$log" 2>&1; then
    grep -E 'error|Error|FAILED' "$log" | head -n 40 >&2 || tail -n 40 "$log" >&2
    fail "$step (full log: $log)" "fix the errors shown above"
  fi
  grep -E 'warning:' "$log" | head -n 20 >&2 || true
}

build_native() {  # $1 = preset (native | asan | bench)
  say "build: native ($1)"
  cd "$ROOT"
  run_logged "cmake configure ($1)" "$ROOT/build/logs/configure-$1.log" cmake --preset "$1"
  run_logged "native build ($1)" "$ROOT/build/logs/build-$1.log" cmake --build "$ROOT/build/$1" -j"$JOBS"
}

build_web() {
  say "build: web (em++)"
  cd "$ROOT"
  run_logged "cmake configure (web)" "$ROOT/build/logs/configure-web.log" cmake --preset web
  run_logged "web build" "$ROOT/build/logs/build-web.log" cmake --build "$ROOT/build/web" -j"$JOBS"
}
