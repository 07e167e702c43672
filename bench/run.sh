#!/usr/bin/env bash
# Runs the benchmark harness (bench/Platform.Bench) against real servers on loopback.
#
#   bash bench/run.sh                      # all: bare, e2e (PostgreSQL), recompute
#   bash bench/run.sh e2e --sqlite         # any arguments go to the bench (see `bash bench/run.sh --help`)
#   bash bench/run.sh e2e --rate 100 --seconds 30
#   bash bench/run.sh dashboard            # starts the platform itself (bench/dashboard-platform.sh), no servers needed
#
# 1. RabbitMQ and PostgreSQL: reuses the ones already exported (PERF_TEST_RABBITMQ / PERF_TEST_POSTGRES,
#    from `source scripts/test-env.sh start`) or already listening on 127.0.0.1:25672 and :25432;
#    otherwise starts them with scripts/test-env.sh and stops them at the end.
# 2. A RabbitMQ virtual host of the run's own (when rabbitmqctl can reach the node), so no other Scoring or
#    Objectives on the same broker shares the bench's queues; deleted at the end.
# 3. Builds in Release (the bench, and the two hosts it starts as processes), then runs it.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 1

log() { printf '[bench] %s\n' "$*" >&2; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

started_env=0
vhost=""
bench_pid=""

stop_bench() {
    [ -n "$bench_pid" ] || return 0
    kill -TERM -- "-$bench_pid" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$bench_pid" 2>/dev/null || break; sleep 0.1; done
    pkill -KILL -g "$bench_pid" 2>/dev/null # whatever is left of its group (a host that did not stop)
    bench_pid=""
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    stop_bench
    if [ -n "$vhost" ] && declare -F _perf_rmq >/dev/null; then
        _perf_rmq 30 rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || log "could not delete virtual host $vhost"
    fi
    if [ "$started_env" = 1 ]; then
        source "$root/scripts/test-env.sh" stop
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# `dashboard` alone: the platform of scripts/run.sh on free ports and a throwaway data folder, no RabbitMQ or
# PostgreSQL (embedded defaults: SQLite files, in-process bus, the Lecce 2023 annex loaded at the first start).
if [ "${1:-}" = dashboard ]; then
    exec bash "$root/bench/dashboard-platform.sh" "$@"
fi

case " $* " in
    *" -h "*|*" --help "*) ;;
    *)
        rmq_port="${PERF_TEST_RABBITMQ_PORT:-25672}"
        pg_port="${PERF_TEST_PG_PORT:-25432}"
        exported_rmq_port="$(printf '%s' "${PERF_TEST_RABBITMQ:-}" | sed -nE 's#^amqp://([^@]*@)?[^:/]+:([0-9]+).*#\2#p')"
        exported_pg_port="$(printf '%s' "${PERF_TEST_POSTGRES:-}" | sed -nE 's#.*[Pp]ort=([0-9]+).*#\1#p')"
        if [ -n "$exported_rmq_port" ] && [ -n "$exported_pg_port" ] && port_busy "$exported_rmq_port" && port_busy "$exported_pg_port"; then
            log "using the servers already exported: $PERF_TEST_RABBITMQ, $PERF_TEST_POSTGRES"
        else
            if [ -n "${PERF_TEST_RABBITMQ:-}${PERF_TEST_POSTGRES:-}" ]; then
                log "the exported PERF_TEST_RABBITMQ / PERF_TEST_POSTGRES do not answer; ignoring them"
                unset PERF_TEST_RABBITMQ PERF_TEST_POSTGRES PERF_TEST_ENV_DIR
            fi
            if port_busy "$rmq_port" && port_busy "$pg_port"; then
                export PERF_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:$rmq_port/"
                export PERF_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=perf;Database=postgres"
                log "RabbitMQ and PostgreSQL already listen on 127.0.0.1:$rmq_port and :$pg_port: using them (left running)"
            else
                log "starting RabbitMQ and PostgreSQL (scripts/test-env.sh)"
                # test-env.sh is written to be sourced: it exports PERF_TEST_RABBITMQ and PERF_TEST_POSTGRES.
                if ! source "$root/scripts/test-env.sh" start; then
                    log "could not start the servers"; exit 1
                fi
                started_env=1
            fi
        fi

        # A virtual host of our own, when the node's CLI is at hand (it is for servers test-env.sh started).
        load_env_functions() { source "$root/scripts/test-env.sh"; }   # no arguments: defines its functions only
        load_env_functions
        if [ -z "${PERF_TEST_ENV_DIR:-}" ] && [ -f "$root/.tmp/test-env.dir" ]; then
            export PERF_TEST_ENV_DIR="$(cat "$root/.tmp/test-env.dir")"
        fi
        case "${PERF_TEST_RABBITMQ}" in
            */) # Only a node whose AMQP port is the one the bench will use (the state file may name another run's node).
                rmq_url_port="$(printf '%s' "$PERF_TEST_RABBITMQ" | sed -E 's#^amqp://([^@]*@)?[^:/]+:([0-9]+).*#\2#')"
                if [ -n "${PERF_TEST_ENV_DIR:-}" ] && [ -f "$PERF_TEST_ENV_DIR/rabbitmq/nodename" ] \
                    && [ "$(cat "$PERF_TEST_ENV_DIR/rabbitmq/port" 2>/dev/null)" = "$rmq_url_port" ] && declare -F _perf_rmq >/dev/null; then
                    candidate="perf-bench-$(date +%Y%m%d%H%M%S)-$$"
                    if _perf_rmq 30 rabbitmqctl -q add_vhost "$candidate" >/dev/null 2>&1 \
                        && _perf_rmq 30 rabbitmqctl -q set_permissions -p "$candidate" guest '.*' '.*' '.*' >/dev/null 2>&1; then
                        vhost="$candidate"
                        export PERF_TEST_RABBITMQ="${PERF_TEST_RABBITMQ}${vhost}"
                        log "RabbitMQ virtual host $vhost (deleted at the end)"
                    else
                        log "could not create a virtual host; using \"/\""
                    fi
                else
                    log "rabbitmqctl cannot reach this RabbitMQ node; using virtual host \"/\""
                fi ;;
        esac
        ;;
esac

log "building in Release"
if ! dotnet build -c Release --nologo -v quiet bench/Platform.Bench/Platform.Bench.csproj; then
    log "build failed"; exit 1
fi

dll="$root/bench/Platform.Bench/bin/Release/net10.0/Platform.Bench.dll"
# In a process group of its own, with the hosts it starts: stopping this script (Ctrl-C, kill, a closed terminal)
# stops them too (cleanup), instead of leaving them running on the machine's cores after the servers are gone.
setsid dotnet "$dll" "$@" &
bench_pid=$!
wait "$bench_pid"
