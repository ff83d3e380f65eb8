#!/usr/bin/env bash
# Every check of every language, in the order CI wants them: install, lint, tests, the shared
# conformance suite, then type checks. Idempotent; prints one summary line per language.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

# packaging: what ships (dist/ from the setup stages), the workflows, the API references.
languages=(rust python node packaging)
stages=(setup lint test conformance types)
declare -A failed=() timing=()

for stage in "${stages[@]}"; do
  for lang in "${languages[@]}"; do
    [[ -n "${failed[$lang]:-}" ]] && continue
    step "$lang: $stage"
    start=$SECONDS
    if ! "scripts/lang/$lang.sh" "$stage"; then
      failed[$lang]="$stage"
      warn "$lang: $stage FAILED"
    fi
    timing[$lang]=$(( ${timing[$lang]:-0} + SECONDS - start ))
  done
done

echo
echo "== summary =="
status=0
for lang in "${languages[@]}"; do
  if [[ -n "${failed[$lang]:-}" ]]; then
    printf '%-7s FAILED at %s (%ss)\n' "$lang" "${failed[$lang]}" "${timing[$lang]}"
    status=1
  else
    printf '%-7s ok: %s (%ss)\n' "$lang" "${stages[*]}" "${timing[$lang]}"
  fi
done
exit $status
