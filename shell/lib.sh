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

build_native() {  # $1 = preset (native | asan | bench)
  say "build: native ($1)"
  cmake --preset "$1" >/dev/null || fail "cmake configure ($1)" "see the messages above"
  cmake --build "$ROOT/build/$1" -j"$JOBS" | grep -E 'error|warning|Error' || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || fail "native build ($1)" "see the compiler messages above"
}

build_web() {
  say "build: web (em++)"
  (cd "$ROOT" && cmake --preset web >/dev/null) || fail "cmake configure (web)" "run shell/setup; see messages above"
  cmake --build "$ROOT/build/web" -j"$JOBS" 2>&1 | grep -E 'error|warning:|Error' || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || fail "web build" "see the compiler messages above"
}
