# Shared helpers for the scripts: sourced, not run.
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
warn() { printf '\033[31m!! %s\033[0m\n' "$*" >&2; }
# The Redis coordination tests of every language start a real redis-server (Debian's), installed
# as root when missing; under CI=true they fail without it.
install_redis_server() {
  if ! command -v redis-server >/dev/null && [[ -z "${REDIS_SERVER:-}" ]] \
      && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    step "redis-server (Debian) for the Redis coordination tests"
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server; } \
      || warn "could not install redis-server: the Redis coordination tests will fail"
  fi
  if command -v redis-server >/dev/null; then redis-server --version; fi
}
# The browser tests (the audit's page, the notebook views under JupyterLab's stylesheet) run
# Debian's chromium headless, installed as root when missing; under CI=true they fail without it.
install_chromium() {
  if ! command -v chromium >/dev/null && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    step "chromium (Debian) for the browser tests"
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } \
      || warn "could not install chromium: the browser tests will fail"
  fi
  if command -v chromium >/dev/null; then chromium --version; fi
}
# JupyterLab's own stylesheet, for the notebook views' browser test: the pinned jupyterlab wheel
# from PyPI (not installed: only its CSS is read), kept in $VENV/wheels.
fetch_jupyterlab_wheel() {
  step "the jupyterlab wheel (its stylesheet, for the JupyterLab rendering test)"
  "$PY" -m pip download -q --no-deps -d "$VENV/wheels" -r python/tests/jupyterlab.txt \
    || warn "could not download the jupyterlab wheel: the JupyterLab rendering test will fail"
}
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
      LICENSE scripts/package.sh scripts/requirements-packaging.txt \
      -type f -not -path '*/target/*' -not -name '*.pyc' -not -name '*.so' -print0 \
    | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}
# What scripts/package.sh builds (wheel, sdist, npm tarballs) goes there; the setup stages
# install from it, so the tests run the very artifacts that ship.
DIST="${DIST:-$PWD/dist}"
# Installs the package into $VENV the way a user gets it: scripts/package.sh builds and checks
# the wheel users download (abi3, manylinux2014, release profile) and pip installs that file.
# Skipped when the stamp says the installed one, and the wheel in $DIST, come from these sources.
install_python_package() {
  local stamp="$VENV/.scaleway_partner.stamp" hash start
  hash=$(python_package_hash)
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$hash" ]] && ls "$DIST"/python/*.whl >/dev/null 2>&1 \
      && "$PY" -c 'import scaleway_partner' 2>/dev/null; then
    echo "scaleway_partner is up to date with its sources (stamp $stamp)"
    return 0
  fi
  step "scripts/package.sh python: the wheel and sdist (release build; a few minutes the first time)"
  start=$SECONDS
  rm -f "$stamp"
  DIST="$DIST" scripts/package.sh python || return 1
  step "pip install the wheel"
  "$PY" -m pip install --force-reinstall --no-deps "$DIST"/python/*.whl || return 1
  echo "$hash" > "$stamp"
  echo "built and installed in $(( SECONDS - start ))s"
}

# Everything the npm tarballs are built from (not what the build writes: the addon and napi-rs's
# native.js/native.d.ts), and the stamp that skips rebuilding them.
node_package_hash() {
  find Cargo.toml Cargo.lock LICENSE crates/scaleway-partner crates/scaleway-partner-mock bindings/node \
      node/package.json node/package-lock.json node/README.md node/lib node/scripts \
      scripts/package.sh node/*.js node/*.mjs node/*.d.ts node/*.d.mts \
      -type f -not -path '*/target/*' -not -path node/native.js -not -path node/native.d.ts -print0 \
    | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}
# Builds the addon, its loader and declarations (node/) and the npm tarballs ($DIST/npm) with
# scripts/package.sh, unless the stamp says those present come from these sources.
build_node_package() {
  local stamp="$DIST/npm/.stamp" hash start
  hash=$(node_package_hash)
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$hash" ]] && ls node/scaleway_partner.*.node >/dev/null 2>&1 \
      && [[ -f node/native.js && -f node/native.d.ts ]]; then
    echo "the addon and the npm tarballs are up to date with their sources (stamp $stamp)"
    return 0
  fi
  start=$SECONDS
  DIST="$DIST" scripts/package.sh node || return 1
  echo "$hash" > "$stamp"
  echo "built and packed in $(( SECONDS - start ))s"
}

# The real traffic recorded from the API is the project's own test data (tests/recorded); every
# test reads it from there unless SCALEWAY_PARTNER_RECORDED names another copy.
export SCALEWAY_PARTNER_RECORDED="${SCALEWAY_PARTNER_RECORDED:-$PWD/tests/recorded}"
