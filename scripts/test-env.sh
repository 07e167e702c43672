#!/usr/bin/env bash
# Throwaway RabbitMQ and PostgreSQL servers on loopback for the integration tests.
#
#   source scripts/test-env.sh start    # start both; exports PERF_TEST_RABBITMQ, PERF_TEST_POSTGRES
#   source scripts/test-env.sh stop     # stop both, delete their data, unset the variables
#   bash scripts/test-env.sh start      # same, but prints the export lines on stdout:
#                                       #   eval "$(bash scripts/test-env.sh start)"
#   bash scripts/test-env.sh stop|status
#
# Data lives in a mktemp directory (PERF_TEST_ENV_DIR); nothing is written elsewhere, no system
# service is touched. The directory is also recorded in .tmp/test-env.dir so a later `stop` from
# another shell finds it.
#
# Ports (override before `start`): PERF_TEST_RABBITMQ_PORT (25672), PERF_TEST_RABBITMQ_DIST_PORT
# (25673), PERF_TEST_PG_PORT (25432). RabbitMQ user guest/guest; PostgreSQL superuser "perf",
# trust authentication, database "postgres" (tests create their own databases).
#
# Needs the Debian packages rabbitmq-server and postgresql (scripts/install-deps.sh). As root,
# PostgreSQL runs as the `postgres` user (it refuses root); as another user it runs as that user.
#
# Written to be sourced: no `set -e`, no `exit`, no change of HOME or options in the caller's shell.

_perf_env_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_perf_env_state="$_perf_env_root/.tmp/test-env.dir"

_perf_log() { printf '[test-env] %s\n' "$*" >&2; }

# True when something already listens on 127.0.0.1:$1.
_perf_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

_perf_rmq_env() { # the throwaway node's environment, in the array _PERF_RMQ_ENV
    local d="$PERF_TEST_ENV_DIR/rabbitmq"
    _PERF_RMQ_ENV=(
        HOME="$d"
        RABBITMQ_NODENAME="$(cat "$d/nodename")"
        RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
        RABBITMQ_NODE_PORT="$(cat "$d/port")"
        RABBITMQ_DIST_PORT="$(cat "$d/dist_port")"
        RABBITMQ_MNESIA_BASE="$d/mnesia"
        RABBITMQ_LOG_BASE="$d/log"
        RABBITMQ_PID_FILE="$d/rabbitmq.pid"
        RABBITMQ_ENABLED_PLUGINS_FILE="$d/plugins"
        RABBITMQ_CONFIG_FILE="$d/rabbitmq"
        RABBITMQ_ADVANCED_CONFIG_FILE="$d/advanced.config"
        RABBITMQ_CONF_ENV_FILE="$d/rabbitmq-env.conf"
        ERL_EPMD_ADDRESS=127.0.0.1
        # Erlang distribution (RABBITMQ_DIST_PORT) on loopback only, like AMQP. No scheduler busy-waiting (+sbwt none ...):
        # on a small shared node an idle scheduler's spinning takes CPU from the services (RabbitMQ's runtime guide
        # recommends it where the cores are shared); measured with bench/run.sh e2e, see docs/benchmarks.md.
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none"
    )
}

_perf_rmq() { # _perf_rmq SECONDS TOOL ARGS...: a RabbitMQ CLI call against the throwaway node
    local secs="$1" tool="$2"; shift 2
    _perf_rmq_env
    timeout "$secs" env "${_PERF_RMQ_ENV[@]}" "/usr/lib/rabbitmq/bin/$tool" -n "$(cat "$PERF_TEST_ENV_DIR/rabbitmq/nodename")" "$@"
}

_perf_pg() { # run a PostgreSQL binary as the right user, from a directory it may enter
    local bin="$1"; shift
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$(cat "$PERF_TEST_ENV_DIR/pg/bindir")/$bin" "$@")
    else
        (cd / && "$(cat "$PERF_TEST_ENV_DIR/pg/bindir")/$bin" "$@")
    fi
}

# The live (not zombie) epmd's process id, if any.
_perf_epmd_pid() { ps -C epmd -o pid=,stat= 2>/dev/null | awk '$2 !~ /^Z/ { print $1; exit }'; }

# Launches the node detached (its own session, not a job of the caller's shell); returns at once.
_perf_launch_rabbitmq() {
    local d="$PERF_TEST_ENV_DIR/rabbitmq" port="${PERF_TEST_RABBITMQ_PORT:-25672}"
    local dist="${PERF_TEST_RABBITMQ_DIST_PORT:-25673}"
    [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || { _perf_log "rabbitmq-server is not installed (bash scripts/install-deps.sh)"; return 1; }
    mkdir -p "$d/mnesia" "$d/log" || return 1
    echo "perftest$port@localhost" >"$d/nodename"
    echo "$port" >"$d/port"
    echo "$dist" >"$d/dist_port"
    echo '[].' >"$d/plugins"
    # Classic queues stay on the storage Debian's 3.10 defaults to (version 1). Version 2, the default of the deployed
    # rabbitmq:3-management image (3.13), cost the broker 0.7 ms more CPU per change at 200/s on 3.10 (docs/benchmarks.md).
    : >"$d/rabbitmq.conf"
    echo '[].' >"$d/advanced.config"
    : >"$d/rabbitmq-env.conf"
    # epmd is shared by every Erlang node on the machine: remember whether it was running, so we
    # stop only one we started.
    if [ -n "$(_perf_epmd_pid)" ]; then echo 0 >"$d/epmd_ours"; else echo 1 >"$d/epmd_ours"; fi
    _perf_rmq_env
    setsid -f env "${_PERF_RMQ_ENV[@]}" /usr/lib/rabbitmq/bin/rabbitmq-server >"$d/out.log" 2>&1 </dev/null
}

_perf_wait_rabbitmq() {
    local d="$PERF_TEST_ENV_DIR/rabbitmq" t0=$SECONDS
    until _perf_rmq 15 rabbitmq-diagnostics -q ping >/dev/null 2>&1; do
        if grep -qiE 'BOOT FAILED|error during startup|eaddrinuse' "$d/out.log" "$d"/log/*.log 2>/dev/null; then
            _perf_log "RabbitMQ failed to boot; last lines of $d/out.log:"; tail -n 20 "$d/out.log" >&2; return 1
        fi
        if [ $((SECONDS - t0)) -ge 90 ]; then
            _perf_log "RabbitMQ did not answer within 90 s; last lines of $d/out.log:"; tail -n 20 "$d/out.log" >&2; return 1
        fi
        sleep 0.5
    done
    # `ping` answers as soon as the Erlang node is up; the broker may still be booting.
    if ! _perf_rmq 90 rabbitmqctl -q await_startup --timeout 80 >/dev/null 2>&1 \
        || ! _perf_rmq 30 rabbitmq-diagnostics -q check_port_connectivity >/dev/null 2>&1; then
        _perf_log "RabbitMQ node is up but its AMQP port $(cat "$d/port") does not answer; see $d/out.log"; return 1
    fi
    if [ "$(cat "$d/epmd_ours")" = 1 ]; then _perf_epmd_pid >"$d/epmd.pid"; fi
}

_perf_start_postgres() {
    local d="$PERF_TEST_ENV_DIR/pg" port="${PERF_TEST_PG_PORT:-25432}" bindir
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$bindir" ] && [ -x "$bindir/initdb" ] || { _perf_log "postgresql is not installed (bash scripts/install-deps.sh)"; return 1; }
    mkdir -p "$d" || return 1
    echo "$bindir" >"$d/bindir"
    echo "$port" >"$d/port"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$d" || return 1; fi
    chmod 700 "$d"
    if ! _perf_pg initdb -D "$d/data" -A trust -U perf -E UTF8 --locale=C.UTF-8 --no-sync >"$d/initdb.log" 2>&1; then
        _perf_log "initdb failed:"; tail -n 20 "$d/initdb.log" >&2; return 1
    fi
    # Throwaway data: durability off, enough connections for parallel test classes.
    if ! _perf_pg pg_ctl -D "$d/data" -w -t 60 -l "$d/pg.log" \
        -o "-p $port -k $d -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >"$d/pg_ctl.log" 2>&1; then
        _perf_log "PostgreSQL did not start:"; tail -n 20 "$d/pg.log" >&2; return 1
    fi
    if ! "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30; then
        _perf_log "PostgreSQL does not answer on 127.0.0.1:$port"; return 1
    fi
}

_perf_stop_rabbitmq() {
    local d="$PERF_TEST_ENV_DIR/rabbitmq" pid
    [ -f "$d/nodename" ] || return 0
    pid="$(cat "$d/rabbitmq.pid" 2>/dev/null)"   # read before `stop`, which deletes it
    _perf_rmq 30 rabbitmqctl -q stop >/dev/null 2>&1
    if [ -n "$pid" ]; then
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null; fi
    fi
    if [ "$(cat "$d/epmd_ours" 2>/dev/null)" = 1 ]; then
        [ -s "$d/epmd.pid" ] || _perf_epmd_pid >"$d/epmd.pid"
        pid="$(cat "$d/epmd.pid")"
        if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; fi
    fi
    return 0
}

_perf_stop_postgres() {
    local d="$PERF_TEST_ENV_DIR/pg" pid
    [ -f "$d/data/PG_VERSION" ] || return 0
    if [ -f "$d/data/postmaster.pid" ]; then
        _perf_pg pg_ctl -D "$d/data" -m fast -w -t 30 stop >/dev/null 2>&1 || {
            pid="$(head -n 1 "$d/data/postmaster.pid" 2>/dev/null)"
            [ -n "$pid" ] && kill -QUIT "$pid" 2>/dev/null
        }
    fi
    return 0
}

_perf_env_start() {
    if [ -n "${PERF_TEST_ENV_DIR:-}" ] && [ -d "$PERF_TEST_ENV_DIR" ]; then
        _perf_log "already started in $PERF_TEST_ENV_DIR (run stop first)"; return 1
    fi
    local p
    for p in "${PERF_TEST_RABBITMQ_PORT:-25672}" "${PERF_TEST_RABBITMQ_DIST_PORT:-25673}" "${PERF_TEST_PG_PORT:-25432}"; do
        if _perf_port_busy "$p"; then
            _perf_log "port $p on 127.0.0.1 is already in use (another test env? 'bash scripts/test-env.sh stop'," \
                "or set PERF_TEST_RABBITMQ_PORT / PERF_TEST_RABBITMQ_DIST_PORT / PERF_TEST_PG_PORT)"
            return 1
        fi
    done
    local t0=$SECONDS
    PERF_TEST_ENV_DIR="$(mktemp -d "${TMPDIR:-/tmp}/perf-test-env.XXXXXX")" || return 1
    export PERF_TEST_ENV_DIR
    chmod 711 "$PERF_TEST_ENV_DIR"   # the postgres user must be able to enter its subdirectory
    # Record the directory for a `stop` from another shell, unless told not to (scripts/test.sh)
    # or another live environment is recorded already.
    if [ "${PERF_TEST_ENV_NO_STATE:-0}" != 1 ]; then
        if [ -f "$_perf_env_state" ] && [ -d "$(cat "$_perf_env_state")" ]; then
            _perf_log "another environment is recorded in $_perf_env_state: this one is not; stop it from this shell"
        else
            mkdir -p "$(dirname "$_perf_env_state")" && echo "$PERF_TEST_ENV_DIR" >"$_perf_env_state"
        fi
    fi
    # RabbitMQ boots in the background while PostgreSQL starts.
    if ! _perf_launch_rabbitmq || ! _perf_start_postgres || ! _perf_wait_rabbitmq; then
        _perf_log "start-up failed; stopping what did start"
        _perf_env_stop
        return 1
    fi
    PERF_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:$(cat "$PERF_TEST_ENV_DIR/rabbitmq/port")/"
    PERF_TEST_POSTGRES="Host=127.0.0.1;Port=$(cat "$PERF_TEST_ENV_DIR/pg/port");Username=perf;Database=postgres"
    export PERF_TEST_RABBITMQ PERF_TEST_POSTGRES
    _perf_log "RabbitMQ and PostgreSQL ready in $((SECONDS - t0)) s (data in $PERF_TEST_ENV_DIR)"
}

_perf_env_stop() {
    if [ -z "${PERF_TEST_ENV_DIR:-}" ] && [ "${PERF_TEST_ENV_NO_STATE:-0}" != 1 ] && [ -f "$_perf_env_state" ]; then
        PERF_TEST_ENV_DIR="$(cat "$_perf_env_state")"
    fi
    if [ -z "${PERF_TEST_ENV_DIR:-}" ] || [ ! -d "$PERF_TEST_ENV_DIR" ]; then
        if [ "${PERF_TEST_ENV_NO_STATE:-0}" != 1 ] && [ -f "$_perf_env_state" ] && [ ! -d "$(cat "$_perf_env_state")" ]; then
            rm -f "$_perf_env_state"   # stale record
        fi
        unset PERF_TEST_ENV_DIR PERF_TEST_RABBITMQ PERF_TEST_POSTGRES
        return 0
    fi
    case "$PERF_TEST_ENV_DIR" in
        */perf-test-env.*) ;;
        *) _perf_log "refusing to clean up unexpected directory '$PERF_TEST_ENV_DIR'"; return 1 ;;
    esac
    _perf_stop_rabbitmq
    _perf_stop_postgres
    rm -rf "$PERF_TEST_ENV_DIR"
    if [ -f "$_perf_env_state" ] && [ "$(cat "$_perf_env_state")" = "$PERF_TEST_ENV_DIR" ]; then
        rm -f "$_perf_env_state"
    fi
    _perf_log "stopped; removed $PERF_TEST_ENV_DIR"
    unset PERF_TEST_ENV_DIR PERF_TEST_RABBITMQ PERF_TEST_POSTGRES
    return 0
}

_perf_env_status() {
    local dir="${PERF_TEST_ENV_DIR:-}"
    [ -n "$dir" ] || dir="$(cat "$_perf_env_state" 2>/dev/null)"
    if [ -z "$dir" ] || [ ! -d "$dir" ]; then echo "not running"; return 1; fi
    local rp pp
    rp="$(cat "$dir/rabbitmq/port" 2>/dev/null)"; pp="$(cat "$dir/pg/port" 2>/dev/null)"
    echo "data: $dir"
    if _perf_port_busy "$rp"; then echo "rabbitmq: listening on 127.0.0.1:$rp"; else echo "rabbitmq: not answering on 127.0.0.1:$rp"; fi
    if _perf_port_busy "$pp"; then echo "postgres: listening on 127.0.0.1:$pp"; else echo "postgres: not answering on 127.0.0.1:$pp"; fi
}

_perf_env_main() {
    case "${1:-}" in
        start) _perf_env_start ;;
        stop) _perf_env_stop ;;
        status) _perf_env_status ;;
        *) echo "usage: source scripts/test-env.sh start|stop|status" >&2; return 2 ;;
    esac
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    # Executed: run, then print what a caller should export.
    _perf_env_main "$@" || exit $?
    if [ "${1:-}" = start ]; then
        printf 'export PERF_TEST_ENV_DIR=%q\n' "$PERF_TEST_ENV_DIR"
        printf 'export PERF_TEST_RABBITMQ=%q\n' "$PERF_TEST_RABBITMQ"
        printf 'export PERF_TEST_POSTGRES=%q\n' "$PERF_TEST_POSTGRES"
    fi
elif [ $# -gt 0 ]; then
    _perf_env_main "$@"
fi
