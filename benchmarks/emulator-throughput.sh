#!/usr/bin/env bash
# Throughput of the emulator (not a test): GET /partner/v1/organizations/{id} requests per
# second, measured with wrk against the release binary, rate limit off, no latency.
# Target: >= 20,000 req/s on a 2-core machine (wrk shares the cores), so that the emulator
# is never the bottleneck of the client benchmarks.
#
#   benchmarks/emulator-throughput.sh            # DURATION=10s CONNECTIONS=64 THREADS=1
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-1}
SEED_ORGANIZATIONS=${SEED_ORGANIZATIONS:-500}

if ! command -v wrk >/dev/null; then
    echo "installing wrk (Debian package)" >&2
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi

cargo build --release -p scaleway-partner-mock >&2
target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
binary="$target_dir/release/scaleway-partner-mock"

key=$(python3 -c 'import uuid; print(uuid.uuid4())')
organization=$(python3 -c 'import uuid; print(uuid.uuid4())')
banner=$(mktemp)
RUST_LOG=warn "$binary" --rate-limit 0 --seed 1 --seed-organizations "$SEED_ORGANIZATIONS" \
    --secret-key "$key" --organization-id "$organization" >"$banner" &
emulator=$!
trap 'kill "$emulator" 2>/dev/null; wait "$emulator" 2>/dev/null; rm -f "$banner"' EXIT

for _ in $(seq 100); do
    [ -s "$banner" ] && break
    sleep 0.1
done
url=$(head -n1 "$banner")
[ -n "$url" ] || { echo "the emulator did not print its URL" >&2; exit 1; }

# A seeded organization from the middle of the book.
id=$(python3 - "$url" "$key" <<'PY'
import json, sys, urllib.request
url, key = sys.argv[1], sys.argv[2]
request = urllib.request.Request(f"{url}/partner/v1/organizations?page=5&page_size=50",
                                 headers={"X-Auth-Token": key})
with urllib.request.urlopen(request) as response:
    print(json.load(response)["organizations"][0]["id"])
PY
)

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION GET $url/partner/v1/organizations/$id" >&2
report=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -H "X-Auth-Token: $key" \
    "$url/partner/v1/organizations/$id")
echo "$report" >&2
if grep -q "Non-2xx" <<<"$report"; then
    echo "some answers were not 200: the figure is not valid" >&2
    exit 1
fi
rate=$(awk '/^Requests\/sec:/ {print $2}' <<<"$report")
echo "emulator GET throughput: $rate req/s"
