#!/usr/bin/env bash
# Rust stages for scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

case "${1:?stage}" in
  setup)
    cargo --version
    cargo fetch --locked
    install_redis_server
    ;;
  lint)
    cargo fmt --all --check
    cargo clippy --workspace --all-targets --locked -- -D warnings
    ;;
  test)
    # Everything but the shared scenarios, which the conformance stage runs for every language.
    cargo test --locked -- --skip conformance_scenarios
    RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked -p scaleway-partner -p scaleway-partner-mock
    ;;
  conformance)
    cargo test --locked -p scaleway-partner --test conformance -- --nocapture
    ;;
  types)
    : # the Rust compiler already checked every type
    ;;
  *) echo "unknown stage $1" >&2; exit 2 ;;
esac
