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

# Everything the Python wheel is built from: the install is skipped when none of it changed.
python_package_hash() {
  find Cargo.toml Cargo.lock crates/scaleway-partner crates/scaleway-partner-mock bindings/python \
      python/pyproject.toml python/README.md python/scaleway_partner \
      -type f -not -path '*/target/*' -not -name '*.pyc' -not -name '*.so' -print0 \
    | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}
# Installs the package into $VENV the way a user does (`pip install ./python`, a release build
# of the abi3 wheel), unless the stamp says the installed one was built from these sources.
install_python_package() {
  local stamp="$VENV/.scaleway_partner.stamp" hash start
  hash=$(python_package_hash)
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$hash" ]] && "$PY" -c 'import scaleway_partner' 2>/dev/null; then
    echo "scaleway_partner is up to date with its sources (stamp $stamp)"
    return 0
  fi
  step "pip install ./python (release build of the abi3 wheel; a few minutes the first time)"
  start=$SECONDS
  rm -f "$stamp"
  "$PY" -m pip install --force-reinstall --no-deps ./python || return 1
  echo "$hash" > "$stamp"
  echo "built and installed in $(( SECONDS - start ))s"
}

# The real traffic recorded from the API is the project's own test data (tests/recorded); every
# test reads it from there unless SCALEWAY_PARTNER_RECORDED names another copy.
export SCALEWAY_PARTNER_RECORDED="${SCALEWAY_PARTNER_RECORDED:-$PWD/tests/recorded}"
