#!/usr/bin/env bash
# node stages for scripts/test.sh (filled in with the node package).
set -euo pipefail
case "${1:?stage}" in
  setup|lint|test|conformance|types) : ;;
  *) echo "unknown stage $1" >&2; exit 2 ;;
esac
