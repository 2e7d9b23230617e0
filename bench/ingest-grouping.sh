#!/usr/bin/env bash
# Measures the gateway's accept path (JWT check, insert, commit, 202) with one row per
# statement against grouped inserts. The gateway runs on its own (no dispatcher competing for
# the CPU), with a token from the embedded issuer. Each variant gets a fresh JVM and 60 s of
# warm-up: on 2 cores the JIT alone takes most of the first minute.
# Usage: bench/ingest-grouping.sh [duration]
# Needs wrk, a built tree (./mvnw -DskipTests package) and the local PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-20s}
PORT=18080
DB=hookway_bench
URL=postgresql://postgres@127.0.0.1:5432/$DB
psql -h 127.0.0.1 -U postgres -qc "drop database if exists $DB" -c "create database $DB"

start() { # $1: jar, rest: extra arguments
  local jar=$1; shift
  java -jar "$jar" --server.port=$PORT --hookway.database.url=$URL \
    --hookway.portal.operator.client-secret=bench --hookway.portal.token-ttl=2h \
    --hookway.routes.bench.upstream=http://127.0.0.1:9 \
    --hookway.rate-limit.requests-per-second=1000000 --logging.level.root=warn "$@" > /tmp/hookway-bench.log 2>&1 &
  PID=$!
  until curl -sf localhost:$PORT/actuator/health/readiness > /dev/null; do sleep 0.5; done
}
stop() { kill $PID; wait $PID 2>/dev/null || true; }

start developer-portal-api/target/developer-portal-api-*-exec.jar
OPERATOR=$(curl -s -u hookway-operator:bench -d grant_type=client_credentials localhost:$PORT/oauth2/token | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
APP=$(curl -s -H "Authorization: Bearer $OPERATOR" -H 'Content-Type: application/json' -d '{"name":"bench"}' localhost:$PORT/v1/applications)
CLIENT=$(echo "$APP" | sed 's/.*"clientId":"\([^"]*\)".*/\1/'); SECRET=$(echo "$APP" | sed 's/.*"clientSecret":"\([^"]*\)".*/\1/')
export TOKEN=$(curl -s -u "$CLIENT:$SECRET" -d grant_type=client_credentials localhost:$PORT/oauth2/token | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
stop

run() { # $1: label, rest: settings
  local label=$1; shift
  start gateway-app/target/gateway-app-*-exec.jar "$@"
  wrk -t2 -c64 -d60s -s bench/post.lua http://127.0.0.1:$PORT/api/bench/orders > /dev/null  # warm-up
  echo "== $label"
  wrk -t2 -c64 -d"$DURATION" --latency -s bench/post.lua http://127.0.0.1:$PORT/api/bench/orders | grep -E "Requests/sec|99%|50%|Non-2xx"
  psql -h 127.0.0.1 -U postgres -qc "truncate tasks" $DB
  stop
}
run "single row per statement (batch 1, 20 writers)" --hookway.gateway.insert-batch-size=1 --hookway.gateway.insert-writers=20
run "grouped (batch up to 256, 2 writers)" --hookway.gateway.insert-batch-size=256 --hookway.gateway.insert-writers=2
run "grouped (batch up to 256, 4 writers)" --hookway.gateway.insert-batch-size=256 --hookway.gateway.insert-writers=4
psql -h 127.0.0.1 -U postgres -qc "drop database if exists $DB"
