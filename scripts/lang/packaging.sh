#!/usr/bin/env bash
# Packaging stages for scripts/test.sh: what is shipped, after the Python and Node setup stages
# built it into dist/ (scripts/package.sh, once: the tests run those very artifacts).
#   lint   the GitHub workflows (actionlint, zizmor), the API references (pdoc, TypeDoc) with
#          warnings as errors, every public item documented with an example (the Python side is
#          enforced by python/tests/test_docs.py, the Node side by docs/node/check-examples.mjs)
#   test   one version everywhere, the artifacts' contents, the clean-machine install (no Rust on
#          PATH), `cargo publish --dry-run` of the core and the emulator
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

DIST="${DIST:-$PWD/dist}"
export DIST

case "${1:?stage}" in
  setup)
    ensure_venv
    step "packaging tools (scripts/requirements-packaging.txt)"
    "$PY" -m pip install -q -r scripts/requirements-packaging.txt
    step "TypeDoc (docs/node, its own lock file: it needs TypeScript 6, the package uses 7)"
    (cd docs/node && npm ci --no-audit --no-fund)
    ;;
  lint)
    ensure_venv
    step "actionlint (.github/workflows)"
    "$VENV/bin/actionlint"
    step "zizmor (.github/workflows)"
    "$VENV/bin/zizmor" --offline .github/workflows
    step "Python API reference: pdoc, warnings as errors (into $DIST/docs/python)"
    # From /tmp: the installed package is documented, not python/ (which has no _native).
    (cd /tmp && "$PY" "$OLDPWD/docs/python/build.py" "$DIST/docs/python")
    step "Node API reference: TypeDoc from node/index.d.ts, warnings as errors (into $DIST/docs/node)"
    # typedoc.json requires a comment on every exported kind; check-examples.mjs then requires
    # an @example on every class, constructor, method and function (from TypeDoc's JSON model).
    model=$(mktemp --suffix=.json)
    (cd docs/node && npx typedoc --out "$DIST/docs/node" --json "$model" && node check-examples.mjs "$model")
    rm -f "$model"
    ;;
  test)
    ensure_venv
    step "pytest tests/packaging: versions, artifacts, the clean machine"
    "$VENV/bin/pytest" -p no:cacheprovider -p no:scaleway_partner -s tests/packaging
    step "cargo publish --dry-run: the emulator and the core"
    cargo publish --dry-run --locked --allow-dirty -p scaleway-partner-mock -p scaleway-partner
    ;;
  conformance | types)
    : # nothing packaging-specific
    ;;
  *) echo "unknown stage $1" >&2; exit 2 ;;
esac
