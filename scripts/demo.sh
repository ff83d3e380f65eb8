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

The same report as a self-contained web page (contents, sortable tables, search), or every
row as an Excel workbook (one sheet per list) or CSV files:
  $VENV/bin/scaleway-partner audit --demo --all --format html --output audit.html
  $VENV/bin/scaleway-partner audit --demo --all --format xlsx --output audit.xlsx
  $VENV/bin/scaleway-partner audit --demo --format csv --output audit.zip
Against your own account (SCW_SECRET_KEY and SCW_DEFAULT_ORGANIZATION_ID, or the scw config),
keeping each audit to see what changed since the last one:
  $VENV/bin/scaleway-partner audit --save last.json
  $VENV/bin/scaleway-partner audit --compare last.json
In Jupyter: examples/account-audit.ipynb (committed with its outputs)
MSG
