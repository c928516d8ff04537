#!/usr/bin/env bash
# make load: the release server on 127.0.0.1 with a temporary database of 1,000,000
# signatures, measured with wrk: count reads (64 connections) and new signatures (16
# connections, each request a new supporter), LOAD_RUNS runs of LOAD_SECONDS each, printing
# requests per second with p50 and p99 (median and range over the runs).
set -euo pipefail
cd "$(dirname "$0")/../.."
signatures="${LOAD_SIGNATURES:-1000000}"
seconds="${LOAD_SECONDS:-10}"
runs="${LOAD_RUNS:-3}"

cargo build --release --locked -p petitie-server --bin petitie-server --example seed
dir="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

echo "==> seeding $signatures signatures"
target/release/examples/seed "$dir/load.sqlite" "$signatures" >/dev/null
# Write the seeded file out before measuring, so the disk is not still busy with it.
sync

# The server trusts 127.0.0.1 as its proxy, so each signature's X-Forwarded-For is a client of
# its own (scripts/load/sign.lua) and the rate limit of 5 a minute stays as deployed. The log
# (one line per request) goes to a file, as it would in production.
target/release/petitie-server --listen 127.0.0.1:0 --db "$dir/load.sqlite" \
  --trusted-proxy 127.0.0.1 2>"$dir/server.log" &
server_pid=$!
for _ in $(seq 300); do
  grep -q 'listening on' "$dir/server.log" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$dir/server.log"; exit 1; }
  sleep 0.1
done
base="$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$dir/server.log" | head -1)"
[ -n "$base" ] || { echo "the server did not start" >&2; exit 1; }

# wrk's report -> "rps p50_ms p99_ms non_2xx"
summary() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
    /^Requests\/sec:/ { rps = $2 } /Non-2xx or 3xx responses:/ { bad = $5 }
    END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, bad + 0 }'
}

declare -A results
for run in $(seq "$runs"); do
  echo "==> run $run of $runs: count reads, then signatures (${seconds} s each)"
  results[reads]+="$(wrk -t1 -c64 -d"${seconds}s" --timeout 5s --latency \
    "$base/api/v1/petitions/gezinshulp-eerst" | summary)"$'\n'
  results[signs]+="$(wrk -t1 -c16 -d"${seconds}s" --timeout 5s --latency \
    -s scripts/load/sign.lua "$base" -- "run$run-$$" "$run" | summary)"$'\n'
done

# median and range of a column over the runs
stat() { printf '%s' "$1" | awk -v c="$2" 'NF { print $c }' | sort -g | awk '
  { v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
  printf "%g (%g-%g)", m, v[1], v[NR] }'; }

count="$(curl -sf "$base/api/v1/petitions/gezinshulp-eerst" | sed -n 's/.*"count":\([0-9]*\).*/\1/p')"
echo
echo "petitie-server, release build, 127.0.0.1, $(nproc) cores; $signatures signatures seeded,"
echo "$count after the runs. Median (range) of $runs runs of ${seconds} s; latency in ms."
printf '%-34s %-22s %-18s %-18s %s\n' "" "requests/s" "p50" "p99" "errors"
for kind in reads signs; do
  label="count reads (GET, 64 connections)"
  [ "$kind" = signs ] && label="signatures (POST, 16 connections)"
  printf '%-34s %-22s %-18s %-18s %s\n' "$label" "$(stat "${results[$kind]}" 1)" \
    "$(stat "${results[$kind]}" 2)" "$(stat "${results[$kind]}" 3)" "$(stat "${results[$kind]}" 4)"
done
errors="$(printf '%s' "${results[reads]}${results[signs]}" | awk 'NF { s += $4 } END { print s + 0 }')"
[ "$errors" = 0 ] || { echo "error: $errors answers were not 2xx" >&2; exit 1; }

# Confirmation by e-mail: the same server on the same database with --confirm-by-email,
# against a real SMTP server on 127.0.0.1 (tests/smtp/sink.mjs). Each signature is stored
# pending with its mail job; the mail thread delivers them. Mails per second: the mails
# delivered from a run's start until as long again after its end, over that time (what is
# still queued then is printed: a backlog the thread works through afterwards).
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
mkfifo "$dir/sink-in"
node tests/smtp/sink.mjs 0 <"$dir/sink-in" >"$dir/mails.jsonl" &
sink_pid=$!
exec 9>"$dir/sink-in"
trap 'exec 9>&-; kill "$sink_pid" 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 100); do grep -q listening "$dir/mails.jsonl" 2>/dev/null && break; sleep 0.1; done
smtp_port="$(sed -n 's/.*"listening":\([0-9]*\).*/\1/p' "$dir/mails.jsonl" | head -1)"
: >"$dir/server.log"
target/release/petitie-server --listen 127.0.0.1:0 --db "$dir/load.sqlite" \
  --trusted-proxy 127.0.0.1 --confirm-by-email --smtp-url "smtp://127.0.0.1:$smtp_port" \
  --mail-from petitie@example.nl --public-url https://www.example.nl/ 2>"$dir/server.log" &
server_pid=$!
for _ in $(seq 300); do grep -q 'listening on' "$dir/server.log" 2>/dev/null && break; sleep 0.1; done
base="$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$dir/server.log" | head -1)"
[ -n "$base" ] || { cat "$dir/server.log"; echo "the confirming server did not start" >&2; exit 1; }
jobs_left() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM mail_jobs").fetchone()[0])' "$dir/load.sqlite"; }
for run in $(seq "$runs"); do
  echo "==> confirming run $run of $runs: signatures (${seconds} s), then until every mail is out"
  before="$(($(wc -l <"$dir/mails.jsonl") - 1))"
  started="$(date +%s.%N)"
  results[pending]+="$(wrk -t1 -c16 -d"${seconds}s" --timeout 5s --latency \
    -s scripts/load/sign.lua "$base" -- "confirm$run-$$" "$((run + runs))" | summary)"$'\n'
  # The mail thread goes on for as long again: the mails it delivered in that time.
  sleep "$seconds"
  done_at="$(date +%s.%N)"
  sent="$(($(wc -l <"$dir/mails.jsonl") - 1 - before))"
  results[mails]+="$(awk -v n="$sent" -v a="$started" -v b="$done_at" -v q="$(jobs_left)" 'BEGIN { printf "%.0f %d %d\n", n / (b - a), n, q }')"$'\n'
done
echo
echo "with --confirm-by-email and a local SMTP server: median (range) of $runs runs"
printf '%-34s %-22s %-18s %-18s %s\n' "" "per second" "p50" "p99" "errors"
printf '%-34s %-22s %-18s %-18s %s\n' "signatures (POST, 16 connections)" "$(stat "${results[pending]}" 1)" \
  "$(stat "${results[pending]}" 2)" "$(stat "${results[pending]}" 3)" "$(stat "${results[pending]}" 4)"
printf '%-34s %-22s %s\n' "mails delivered" "$(stat "${results[mails]}" 1)" \
  "($(stat "${results[mails]}" 2) mails in a run's time; $(stat "${results[mails]}" 3) still queued after it)"
