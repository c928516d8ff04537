#!/usr/bin/env bash
# make load: the release server on 127.0.0.1 with a database of 1,000,000 signatures, measured
# with wrk: count reads (64 connections) and new signatures (16 connections, each request a new
# supporter), LOAD_RUNS runs of LOAD_SECONDS each, printing requests per second with p50 and p99
# (median and range over the runs), for three set-ups: one instance on a SQLite file, one
# instance on PostgreSQL, and two instances on PostgreSQL behind nginx (deploy/nginx.conf).
# PostgreSQL is a throwaway cluster (scripts/with-postgres.sh, durable as deployed). Then
# SQLite with --confirm-by-email, and kill -9 of one of two instances behind nginx while
# supporters sign (crates/server/tests/instances.rs): what they saw.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -n "${PETITIE_TEST_POSTGRES:-}" ] || exec scripts/with-postgres.sh "$0" "$@"
signatures="${LOAD_SIGNATURES:-1000000}"
seconds="${LOAD_SECONDS:-10}"
runs="${LOAD_RUNS:-3}"

cargo build --release --locked -p petitie-server --bin petitie-server --example seed
dir="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT

# start NAME ARGS...: the release server with ARGS, its log in $dir/NAME.log; sets $base and
# $pid. It trusts 127.0.0.1 as its proxy, so each signature's X-Forwarded-For is a client of its
# own (scripts/load/sign.lua) and the rate limit of 5 a minute stays as deployed. The log (one
# line per request) goes to a file, as it would in production.
start() {
  local name="$1"; shift
  target/release/petitie-server --trusted-proxy 127.0.0.1 "$@" 2>"$dir/$name.log" &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 300); do
    grep -q 'listening on' "$dir/$name.log" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$dir/$name.log"; exit 1; }
    sleep 0.1
  done
  base="$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$dir/$name.log" | head -1)"
  [ -n "$base" ] || { cat "$dir/$name.log"; echo "$name did not start" >&2; exit 1; }
}
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  pids=()
}

# wrk's report -> "rps p50_ms p99_ms non_2xx"
summary() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
    /^Requests\/sec:/ { rps = $2 } /Non-2xx or 3xx responses:/ { bad = $5 }
    END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, bad + 0 }'
}

declare -A results
# measure SETUP BASE: the runs of count reads and signatures against BASE.
measure() {
  local setup="$1" url="$2" run
  for run in $(seq "$runs"); do
    echo "==> $setup, run $run of $runs: count reads, then signatures (${seconds} s each)"
    results[$setup-reads]+="$(wrk -t1 -c64 -d"${seconds}s" --timeout 5s --latency \
      "$url/api/v1/petitions/gezinshulp-eerst" | summary)"$'\n'
    results[$setup-signs]+="$(wrk -t1 -c16 -d"${seconds}s" --timeout 5s --latency \
      -s scripts/load/sign.lua "$url" -- "$setup$run-$$" "$run" | summary)"$'\n'
  done
}

# median and range of a column over the runs
stat() { printf '%s' "$1" | awk -v c="$2" 'NF { print $c }' | sort -g | awk '
  { v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
  printf "%g (%g-%g)", m, v[1], v[NR] }'; }

count_of() { curl -sf "$1/api/v1/petitions/gezinshulp-eerst" | sed -n 's/.*"count":\([0-9]*\).*/\1/p'; }

echo "==> seeding $signatures signatures into a SQLite file and into PostgreSQL"
target/release/examples/seed "$dir/load.sqlite" "$signatures" >/dev/null
pg_url="${PETITIE_TEST_POSTGRES%/*}/petitie_load"
"$PG_BIN/psql" -q "$PETITIE_TEST_POSTGRES" -c "CREATE DATABASE petitie_load"
target/release/examples/seed "$pg_url" "$signatures" >/dev/null
# Write the seeded data out before measuring, so the disk is not still busy with it.
sync

start sqlite --listen 127.0.0.1:0 --db "$dir/load.sqlite"
measure sqlite "$base"
counts="SQLite $(count_of "$base")"
stop_all

start postgres --listen 127.0.0.1:0 --db "$pg_url"
measure postgres "$base"
stop_all

# Two instances on fixed free ports behind nginx, configured by deploy/nginx.conf.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ports=("$(free_port)" "$(free_port)" "$(free_port)")
start one --listen "127.0.0.1:${ports[0]}" --db "$pg_url"
start two --listen "127.0.0.1:${ports[1]}" --db "$pg_url"
mkdir -p "$dir/nginx"
user=""; [ "$(id -u)" = 0 ] && user="user root;"
{
  echo "$user daemon off; worker_processes 2; pid $dir/nginx/nginx.pid; error_log $dir/nginx/error.log;"
  echo "events { worker_connections 4096; } http { access_log off;"
  for t in client_body proxy fastcgi uwsgi scgi; do echo "${t}_temp_path $dir/nginx/$t;"; done
  sed -e "s/listen 80;/listen 127.0.0.1:${ports[2]};/" -e "s/127.0.0.1:8787/127.0.0.1:${ports[0]}/" \
    -e "s/127.0.0.1:8788/127.0.0.1:${ports[1]}/" deploy/nginx.conf
  echo "}"
} >"$dir/nginx/nginx.conf"
nginx="$(command -v nginx || echo /usr/sbin/nginx)"
"$nginx" -e "$dir/nginx/error.log" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" &
pids+=("$!")
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:${ports[2]}/healthz" && break; sleep 0.1; done
measure nginx "http://127.0.0.1:${ports[2]}"
counts+=", PostgreSQL $(count_of "http://127.0.0.1:${ports[2]}")"
stop_all

declare -A labels=([sqlite]="SQLite, one instance" [postgres]="PostgreSQL, one instance"
  [nginx]="PostgreSQL, two instances behind nginx")
echo
echo "petitie-server, release build, 127.0.0.1, $(nproc) cores; $signatures signatures seeded,"
echo "after the runs: $counts. Median (range) of $runs runs of ${seconds} s; latency in ms."
printf '%-58s %-22s %-18s %-18s %s\n' "" "requests/s" "p50" "p99" "errors"
errors=0
for setup in sqlite postgres nginx; do
  for kind in reads signs; do
    label="count reads (GET, 64 connections)"
    [ "$kind" = signs ] && label="signatures (POST, 16 connections)"
    r="${results[$setup-$kind]}"
    printf '%-58s %-22s %-18s %-18s %s\n' "${labels[$setup]}: $label" "$(stat "$r" 1)" \
      "$(stat "$r" 2)" "$(stat "$r" 3)" "$(stat "$r" 4)"
    errors=$((errors + $(printf '%s' "$r" | awk 'NF { s += $4 } END { print s + 0 }')))
  done
done
[ "$errors" = 0 ] || { echo "error: $errors answers were not 2xx" >&2; exit 1; }

# Confirmation by e-mail: the same server on the same database with --confirm-by-email,
# against a real SMTP server on 127.0.0.1 (tests/smtp/sink.mjs). Each signature is stored
# pending with its mail job; the mail thread delivers them. Mails per second: the mails
# delivered from a run's start until as long again after its end, over that time (what is
# still queued then is printed: a backlog the thread works through afterwards).
mkfifo "$dir/sink-in"
node tests/smtp/sink.mjs 0 <"$dir/sink-in" >"$dir/mails.jsonl" &
sink_pid=$!
exec 9>"$dir/sink-in"
trap 'exec 9>&-; kill "$sink_pid" 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 100); do grep -q listening "$dir/mails.jsonl" 2>/dev/null && break; sleep 0.1; done
smtp_port="$(sed -n 's/.*"listening":\([0-9]*\).*/\1/p' "$dir/mails.jsonl" | head -1)"
start confirming --listen 127.0.0.1:0 --db "$dir/load.sqlite" --confirm-by-email \
  --smtp-url "smtp://127.0.0.1:$smtp_port" --mail-from petitie@example.nl \
  --public-url https://www.example.nl/
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
stop_all

# Fail-over: two instances on PostgreSQL behind nginx, eight supporters signing through it and
# retrying with the same key as the app does; one instance is killed with kill -9 and restarted.
echo
echo "==> fail-over: kill -9 of one of two instances behind nginx (tests/instances.rs)"
cargo test -q --locked -p petitie-server --test instances kill_9 -- --nocapture 2>&1 \
  | grep -E '^fail-over|test result'
