#!/usr/bin/env bash
# The main job, for a newcomer: build and install the Python package into the repository's
# venv (skipped when it is up to date), then audit a demo partner book of about 1,500
# organizations served by the embedded emulator. No credentials needed. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

for tool in python3 cargo; do
  command -v "$tool" >/dev/null || { warn "$tool is needed (Python 3.9+ and a Rust toolchain)"; exit 1; }
done
ensure_venv
install_python_package

step "scaleway-partner audit --demo"
"$VENV/bin/scaleway-partner" audit --demo "$@"

cat <<MSG

The same report as a self-contained web page:
  $VENV/bin/scaleway-partner audit --demo --format html --output audit.html
Against your own account (SCW_SECRET_KEY and SCW_DEFAULT_ORGANIZATION_ID, or the scw config):
  $VENV/bin/scaleway-partner audit
In Jupyter: examples/account-audit.ipynb
MSG
