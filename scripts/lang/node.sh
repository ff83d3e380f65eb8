#!/usr/bin/env bash
# Node stages for scripts/test.sh: the package in node/, built from bindings/node.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

NODE_DIR=node

# The addon is built once (release) by `setup`, with napi-rs's loader and declarations
# (native.js, native.d.ts: generated, not committed); the other stages use what it built.
need_build() {
  if ! ls "$NODE_DIR"/scaleway_partner.*.node >/dev/null 2>&1 \
      || [[ ! -f "$NODE_DIR/native.js" || ! -f "$NODE_DIR/native.d.ts" ]]; then
    warn "node: no native addon, native.js or native.d.ts in $NODE_DIR/; run scripts/lang/node.sh setup first"
    exit 1
  fi
}

case "${1:?stage}" in
  setup)
    install_redis_server
    node --version
    npm --version
    cd "$NODE_DIR"
    # The lock file is committed: install exactly it (falls back when it is out of date).
    # Without scripts: the package's install hook would build the addon, built just below.
    if [[ -f package-lock.json ]]; then
      step "npm ci (node/)"
      npm ci --ignore-scripts --no-audit --no-fund \
        || { warn "npm ci failed; trying npm install"; npm install --ignore-scripts --no-audit --no-fund; }
    else
      step "npm install (node/)"
      npm install --ignore-scripts --no-audit --no-fund
    fi
    cd ..
    step "scripts/package.sh node: the release addon (napi build) and the npm tarballs, once"
    build_node_package
    ;;
  lint)
    need_build
    step "napi-rs's generated loader and declarations (node/native.js, native.d.ts) stay out of git"
    # A committed copy could drift from the addon it loads; the build writes them every time.
    tracked=$(git ls-files -- "$NODE_DIR"/native.js "$NODE_DIR"/native.d.ts)
    if [[ -n "$tracked" ]]; then
      warn "tracked by git: $tracked; they are build outputs (git rm --cached them)"
      exit 1
    fi
    step "eslint + tsc (node/, tests/conformance/run_node.mjs, benchmarks/soak.mjs)"
    # The conformance runner and the soak live outside node/: linted with the package's config.
    "$NODE_DIR"/node_modules/.bin/eslint --config "$NODE_DIR"/eslint.config.mjs tests/conformance/run_node.mjs benchmarks/soak.mjs
    cd "$NODE_DIR"
    npm run lint
    ;;
  test)
    need_build
    step "node --test (node/tests)"
    cd "$NODE_DIR"
    npm test
    ;;
  conformance)
    need_build
    step "conformance scenarios with the Node package (tests/conformance/run_node.mjs)"
    # The runner loads the package built in node/ by its name (see the runner's header).
    node tests/conformance/run_node.mjs
    ;;
  types)
    need_build
    step "tsc --noEmit on the typed usage files (node/tests/types)"
    cd "$NODE_DIR"
    npm run typecheck
    ;;
  *) echo "unknown stage $1" >&2; exit 2 ;;
esac
