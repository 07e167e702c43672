#!/usr/bin/env bash
# The platform on one machine, with embedded defaults:  bash scripts/run.sh
#
# Three processes, nothing to install: the services (Objectives, Scoring) in one process with a SQLite
# file each and the in-process bus (embedded/Embedded.Host, which loads the Lecce 2023 annex on first
# start), the portal, and the gateway in front of both. Ctrl-C stops all three.
#
#   http://localhost:8080   the portal, through the gateway (browsers)
#   http://localhost:8081   gRPC through the gateway (HTTP/2 cleartext): perf.objectives.v1, perf.scoring.v1
#   http://localhost:5100   gRPC of the services directly
#
# Data stays in embedded/Embedded.Host/.data (delete it to start again from the 2023 annex).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"

echo "building..."
for project in embedded/Embedded.Host web/Portal gateway/Gateway; do
    dotnet build "$project" -c Release -nologo -v quiet >/dev/null
done

pids=()
stop() { trap - EXIT INT TERM; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

run() { # name, project, then KEY=VALUE settings
    local name=$1 project=$2; shift 2
    env "$@" dotnet run --no-build -c Release --project "$project" 2>&1 | sed -u "s/^/[$name] /" &
    pids+=($!)
}

run services embedded/Embedded.Host
run portal web/Portal Services__Scoring=http://localhost:5100 \
    Kestrel__Endpoints__Http__Url=http://localhost:5200 Kestrel__Endpoints__Management__Url=http://localhost:9091
run gateway gateway/Gateway Services__Objectives=http://localhost:5100 Services__Scoring=http://localhost:5100 \
    Services__Portal=http://localhost:5200 Kestrel__Endpoints__Http__Url=http://localhost:8080 \
    Kestrel__Endpoints__Grpc__Url=http://localhost:8081 Kestrel__Endpoints__Management__Url=http://localhost:9092

echo "perf-platform: portal http://localhost:8080  ·  gRPC http://localhost:8081 (gateway) or :5100 (direct)  ·  Ctrl-C stops"
wait -n "${pids[@]}"
