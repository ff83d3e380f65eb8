# Shared helpers for the scripts: sourced, not run.
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
warn() { printf '\033[31m!! %s\033[0m\n' "$*" >&2; }
# The repository's own virtualenv, created on first use.
VENV="${VENV:-$PWD/.venv}"
PY="$VENV/bin/python"
ensure_venv() {
  if [[ ! -x "$PY" ]]; then
    step "creating $VENV"
    python3 -m venv "$VENV" || return 1
    "$PY" -m pip install -q --upgrade pip || return 1
  fi
}
