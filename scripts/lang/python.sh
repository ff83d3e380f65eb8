#!/usr/bin/env bash
# python stages for scripts/test.sh (filled in with the python package).
set -euo pipefail
case "${1:?stage}" in
  setup|lint|test|conformance|types) : ;;
  *) echo "unknown stage $1" >&2; exit 2 ;;
esac
