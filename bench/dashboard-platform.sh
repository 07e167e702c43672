#!/usr/bin/env bash
# `bash bench/run.sh dashboard [options]`: the platform as scripts/run.sh starts it, on free ports and a throwaway data
# folder, then the dashboard bench against it (bench/Platform.Bench/DashboardBench.cs), then everything stopped (also
# on Ctrl-C, kill or a closed terminal). Nothing else to start: SQLite files, the in-process bus, the 2023 annex.
#
# Settings the platform gets for the bench (and why):
#   Auth__Disabled=true                      2023 is not published, and the bench measures pages and the scorecard,
#                                            not the login; every process then runs without token validation.
#   Gateway__RateLimit__PermitsPerSecond=0   the gRPC phases are closed loops from one address: the per-client
#                                            limit (500/s) would cap the echo and GetScorecard alike and hide the ratio.
#   Services__BenchEcho=http://localhost:P   the gateway routes perf.bench.v1.* to the bench's echo server (P), so the
#                                            echo can be measured through the gateway beside GetScorecard.
# PERF_BENCH_NO_BUILD=1 uses the Release outputs as built (the CI test's references built them);
# PERF_BENCH_KEEP_DATA=1 keeps the data folder; PERF_BENCH_PLATFORM_LOG names the platform's log (default: in it).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '[bench] %s\n' "$*" >&2; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
chosen=" "
free_port() { # a port nothing listens on, not chosen before in this run
    local p
    for _ in $(seq 200); do
        p=$((20000 + RANDOM % 30000))
        case "$chosen" in *" $p "*|*" $((p + 80)) "*) continue ;; esac
        if ! port_busy "$p"; then chosen="$chosen$p "; echo "$p"; return 0; fi
    done
    return 1
}

data_dir="$(mktemp -d "${TMPDIR:-/tmp}/perf-dashboard-bench.XXXXXX")" || exit 1
platform_log="${PERF_BENCH_PLATFORM_LOG:-$data_dir/platform.log}"
platform_pid=""

stop_platform() {
    [ -n "$platform_pid" ] || return 0
    # run.sh stops its processes on TERM (each in a group of its own); it runs in a session of its own here
    # (setsid), so whatever is left of that session after 30 s is ended by session id (its processes only).
    kill -TERM "$platform_pid" 2>/dev/null
    for _ in $(seq 300); do kill -0 "$platform_pid" 2>/dev/null || break; sleep 0.1; done
    pkill -KILL -s "$platform_pid" 2>/dev/null
    wait "$platform_pid" 2>/dev/null
    platform_pid=""
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    stop_platform
    if [ "${PERF_BENCH_KEEP_DATA:-0}" = 1 ]; then log "data and log kept in $data_dir"; else rm -rf "$data_dir"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

case " $* " in
    *" -h "*|*" --help "*) exec dotnet run -c Release --project bench/Platform.Bench -- --help ;;
esac

if [ "${PERF_BENCH_NO_BUILD:-0}" = 1 ]; then
    log "not building (PERF_BENCH_NO_BUILD=1): using the Release outputs as they are"
else
    log "building in Release (the bench, and the four hosts scripts/run.sh starts)"
    for project in bench/Platform.Bench embedded/Embedded.Host web/Portal services/Identity/Identity.Host gateway/Gateway; do
        if ! dotnet build "$project" -c Release --nologo -v quiet >/dev/null; then
            log "build of $project failed"; dotnet build "$project" -c Release --nologo -v quiet | tail -20; exit 1
        fi
    done
fi

http=$(free_port) && grpc=$(free_port) && services=$(free_port) && portal=$(free_port) && identity=$(free_port) && echo_port=$(free_port) \
    || { log "no free ports"; exit 1; }
log "platform: http $http, gRPC $grpc (gateway), services $services, portal $portal, identity $identity; echo $echo_port; data $data_dir"

# A session of its own: the bench's Ctrl-C reaches run.sh through the trap above, not twice.
PERF_RUN_NO_BUILD=1 PERF_RUN_HTTP_PORT=$http PERF_RUN_GRPC_PORT=$grpc PERF_RUN_SERVICES_PORT=$services \
PERF_RUN_PORTAL_PORT=$portal PERF_RUN_IDENTITY_PORT=$identity PERF_RUN_DATA_DIR="$data_dir/data" \
Auth__Disabled=true Gateway__RateLimit__PermitsPerSecond=0 Services__BenchEcho="http://localhost:$echo_port" \
    setsid env --default-signal=INT,TERM,HUP bash scripts/run.sh >"$platform_log" 2>&1 &
platform_pid=$!

log "waiting for the 2023 dashboard through the gateway (up to 300 s)"
ready=0
for _ in $(seq 600); do
    if ! kill -0 "$platform_pid" 2>/dev/null; then log "the platform exited early:"; tail -40 "$platform_log" >&2; exit 1; fi
    if curl -fsS --max-time 5 "http://127.0.0.1:$http/?anno=2023" 2>/dev/null | grep -q 'data-testid="entity-computed">99,40'; then ready=1; break; fi
    sleep 0.5
done
[ $ready = 1 ] || { log "the platform did not show the 2023 dashboard in 300 s:"; tail -40 "$platform_log" >&2; exit 1; }
log "platform up"

PERF_BENCH_HTTP="http://127.0.0.1:$http" PERF_BENCH_GRPC="http://127.0.0.1:$grpc" PERF_BENCH_SERVICES="http://127.0.0.1:$services" \
PERF_BENCH_ECHO_PORT=$echo_port PERF_BENCH_PLATFORM_PID=$platform_pid \
    dotnet "$root/bench/Platform.Bench/bin/Release/net10.0/Platform.Bench.dll" "$@"
