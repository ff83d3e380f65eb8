#!/usr/bin/env bash
# Python stages for scripts/test.sh: the package in python/ (maturin, built from bindings/python),
# installed into the repository's venv the way a user installs it (`pip install ./python`).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

REQUIREMENTS=python/tests/requirements.txt
# A separate venv for the official SDK check: `scaleway` and its dependencies stay out of ours.
SDK_DIR=tests/official-sdk
SDK_VENV="${SDK_VENV:-$PWD/.venv-official-sdk}"
need_install() {
  if ! "$PY" -c 'import scaleway_partner' 2>/dev/null; then
    warn "python: scaleway_partner is not installed in $VENV; run scripts/lang/python.sh setup first"
    exit 1
  fi
}

case "${1:?stage}" in
  setup)
    install_redis_server
    ensure_venv
    "$PY" --version
    step "pinned test tools ($REQUIREMENTS)"
    "$PY" -m pip install -q -r "$REQUIREMENTS"
    install_python_package
    "$PY" -c 'import scaleway_partner as s; print("scaleway_partner", s.__version__, "from", s.__file__)'
    install_chromium
    fetch_jupyterlab_wheel
    step "pyright's node package (fetched once, before the types stage needs it)"
    "$VENV/bin/pyright" --version
    if [[ -f "$SDK_DIR/requirements.txt" ]]; then
      step "official SDK venv ($SDK_VENV)"
      [[ -x "$SDK_VENV/bin/python" ]] || python3 -m venv "$SDK_VENV"
      "$SDK_VENV/bin/python" -m pip install -q -r "$SDK_DIR/requirements.txt"
    fi
    ;;
  lint)
    ensure_venv
    step "ruff check + ruff format --check (python/)"
    (cd python && "$VENV/bin/ruff" check . && "$VENV/bin/ruff" format --check .)
    step "ruff check + ruff format --check (tests/: the conformance runner, the official-SDK check; docs/python; benchmarks/soak.py)"
    "$VENV/bin/ruff" check tests docs benchmarks/soak.py && "$VENV/bin/ruff" format --check tests docs benchmarks/soak.py
    ;;
  test)
    need_install
    step "pytest python/tests (the installed package)"
    # From the repository root so that the installed package, not python/, is imported.
    "$VENV/bin/pytest" -p no:cacheprovider python/tests
    if [[ -f "$SDK_DIR/requirements.txt" ]]; then
      step "official Python SDK against the emulator ($SDK_DIR)"
      "$SDK_VENV/bin/python" -m pytest -q -p no:cacheprovider "$SDK_DIR"
    fi
    ;;
  conformance)
    need_install
    step "conformance scenarios with the Python package (both clients)"
    "$PY" tests/conformance/run_python.py
    ;;
  types)
    need_install
    step "stubtest: the stubs against the installed native module"
    (cd /tmp && "$PY" -m mypy.stubtest --allowlist "$OLDPWD/python/stubtest-allowlist.txt" scaleway_partner)
    step "mypy --strict on the package"
    (cd python && "$VENV/bin/mypy" scaleway_partner)
    step "pyright (strict) on python/tests/typing"
    # With the venv's interpreter: the example uses the extras (pandas, matplotlib) installed there.
    (cd python && "$VENV/bin/pyright" --pythonpath "$PY")
    ;;
  *) echo "unknown stage $1" >&2; exit 2 ;;
esac
