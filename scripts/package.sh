#!/usr/bin/env bash
# Builds what is shipped, from a clean clone, into dist/, and checks it:
#   dist/python/  the abi3 wheel, manylinux_2_17 (manylinux2014) x86_64, linked by zig against
#                 glibc 2.17 (maturin --zig, zig from the `ziglang` package), and the sdist;
#   dist/npm/     `npm pack` tarballs: scaleway_partner (JS, types, and optionalDependencies on
#                 one platform package per napi-rs target) and scaleway_partner-linux-x64-gnu
#                 (this machine's addon). The other platforms' packages are built by the
#                 release workflow (.github/workflows/release.yml) on their own runners.
# Checks: `auditwheel show` names the manylinux tag, `check-wheel-contents` is clean, the wheel
# carries the typing files, entry points, license and metadata, and the size budgets below hold.
#
# Usage: scripts/package.sh [all|python|node]        (default: all)
# Needs Rust, Python 3.9+ and Node 20+ with npm; every tool comes from PyPI and npm by name.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

DIST="${DIST:-$PWD/dist}"
# Size budgets, in bytes, about 25% above what the release profile gives today (see
# CHANGELOG.md): a change that bloats the binaries fails here rather than in users' installs.
WHEEL_BUDGET=$((4608 * 1024))
NODE_ADDON_BUDGET=$((8704 * 1024))

size_of() { stat -c %s "$1"; }
within_budget() { # name file budget
  local size
  size=$(size_of "$2")
  if (( size > $3 )); then
    warn "$1 is $size bytes, over its budget of $3 ($2)"
    return 1
  fi
  printf '%s: %s bytes (budget %s)\n' "$1" "$size" "$3"
}

packaging_tools() {
  ensure_venv
  "$PY" -m pip install -q -r scripts/requirements-packaging.txt
}

python_artifacts() {
  packaging_tools
  rm -rf "$DIST/python"
  mkdir -p "$DIST/python"
  step "maturin build: the abi3 wheel for manylinux2014 (zig links against glibc 2.17)"
  # The unwinder must be the system's libgcc_s, as in a manylinux image, not the libunwind zig
  # links in statically in its place: glibc unwinds a thread that pthread_exit ends (Python
  # does that to daemon threads at exit) with libgcc_s, and Rust frames whose personality
  # routine speaks to another unwinder crash the process then (test_exit.py's `thread` mode).
  # Linking libgcc_s.so.1 itself under another name keeps maturin from swapping it for zig's.
  local gcc_s="" dir libdir="${CARGO_TARGET_DIR:-$PWD/target}/zig-libgcc_s"
  for dir in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib64 /lib /usr/lib; do
    [[ -e "$dir/libgcc_s.so.1" ]] && { gcc_s="$dir/libgcc_s.so.1"; break; }
  done
  [[ -n "$gcc_s" ]] || { warn "no libgcc_s.so.1 on this machine to link the wheel's unwinder against"; return 1; }
  mkdir -p "$libdir"
  ln -sf "$gcc_s" "$libdir/libgcc_s_system.so"
  # maturin finds zig through the venv's `ziglang` module: the venv's bin first on PATH.
  (cd python && PATH="$VENV/bin:$PATH" "$VENV/bin/maturin" build --release --locked --zig \
      --compatibility manylinux2014 --out "$DIST/python" \
      -- -L "native=$libdir" -l dylib=gcc_s_system)
  step "maturin sdist"
  (cd python && "$VENV/bin/maturin" sdist --out "$DIST/python")
  local wheel
  wheel=$(ls "$DIST"/python/*.whl)
  step "auditwheel show"
  "$VENV/bin/auditwheel" show "$wheel" | tee "$DIST/python/auditwheel.txt"
  grep -q 'manylinux_2_17_x86_64' "$DIST/python/auditwheel.txt" \
    || { warn "auditwheel does not find the wheel manylinux_2_17 (manylinux2014) compliant"; return 1; }
  step "the extension unwinds with the system's libgcc_s, not a private copy"
  local so
  so=$(mktemp -d)
  (cd "$so" && "$PY" -m zipfile -e "$wheel" . && readelf -dW scaleway_partner/_native.abi3.so) \
    | grep -q 'NEEDED.*\[libgcc_s\.so\.1\]' \
    || { rm -rf "$so"; warn "the extension does not load libgcc_s.so.1: it carries its own unwinder"; return 1; }
  rm -rf "$so"
  echo "ok: NEEDED libgcc_s.so.1"
  step "check-wheel-contents"
  "$VENV/bin/check-wheel-contents" "$wheel"
  step "wheel and sdist contents and metadata"
  "$PY" tests/packaging/check_dist.py python "$DIST/python"
  within_budget wheel "$wheel" "$WHEEL_BUDGET"
}

node_artifacts() {
  cd node
  if [[ ! -x node_modules/.bin/napi ]]; then
    step "npm ci (node/): the napi-rs CLI"
    # Without scripts: the package's own install hook would build the addon, built just below.
    npm ci --ignore-scripts --no-audit --no-fund
  fi
  step "napi build: the release addon (stripped by the release profile) and napi-rs's loader"
  npm run build
  local addon
  addon=$(ls scaleway_partner.*.node)
  [[ $(wc -w <<<"$addon") == 1 ]] || { warn "expected one addon in node/, found: $addon"; return 1; }
  if command -v readelf >/dev/null && readelf -S "$addon" | grep -q '\.symtab'; then
    warn "$addon still has a symbol table: not stripped"
    return 1
  fi
  within_budget "node addon" "$addon" "$NODE_ADDON_BUDGET"

  step "npm packages: one dir per napi-rs target (napi create-npm-dirs), this platform's filled"
  rm -rf npm
  npx napi create-npm-dirs --npm-dir npm >/dev/null
  # This machine's addon into its package (the release workflow uses `napi artifacts` once every
  # target's addon is there; it refuses a partial set).
  local platform=${addon#scaleway_partner.}
  platform=${platform%.node}
  [[ -d "npm/$platform" ]] || { warn "napi-rs made no package dir for $platform"; return 1; }
  cp "$addon" "npm/$platform/"
  for dir in npm/*/; do cp ../LICENSE "$dir"; done
  rm -rf "$DIST/npm" "$DIST/npm-stage"
  mkdir -p "$DIST/npm"
  node scripts/stage.js npm "$DIST/npm-stage/scaleway_partner" ../LICENSE
  step "npm pack"
  (cd "npm/$platform" && npm pack --pack-destination "$DIST/npm" >/dev/null)
  (cd "$DIST/npm-stage/scaleway_partner" && npm pack --pack-destination "$DIST/npm" >/dev/null)
  cd ..
  "$PY" tests/packaging/check_dist.py npm "$DIST/npm"
}

what="${1:-all}"
case "$what" in
  python) python_artifacts ;;
  node) ensure_venv; node_artifacts ;;
  all) python_artifacts; ensure_venv; node_artifacts ;;
  *) echo "usage: $0 [all|python|node]" >&2; exit 2 ;;
esac
step "artifacts in $DIST"
ls -l "$DIST"/python/* "$DIST"/npm/* 2>/dev/null | grep -v 'auditwheel.txt' || true
