#!/usr/bin/env bash
# The project's test command:  bash scripts/test.sh
#
#  1. installs what is missing (scripts/install-deps.sh: Debian packages, tools/node_modules);
#  2. starts throwaway RabbitMQ and PostgreSQL on loopback (scripts/test-env.sh) and exports
#     PERF_TEST_RABBITMQ and PERF_TEST_POSTGRES for the integration tests;
#  3. dotnet test perf-platform.sln -c Release (trx logger, --blame-hang-timeout 5m);
#  4. the static checks of the operations files (scripts/static-checks.sh);
#  5. stops the servers (also on failure or Ctrl-C) and prints, last and alone on its line,
#     "N passed, N failed, N skipped" summed from the trx files.
# Exits non-zero when a test failed, dotnet test failed (build error, crashed or hung test host),
# a static check failed, or the set-up failed.
#
# Settings (environment): PERF_TEST_SOLUTION (default perf-platform.sln), PERF_TEST_RESULTS_DIR
# (keep the trx files there; default: a temp dir removed at exit), PERF_SKIP_INSTALL=1,
# PERF_SKIP_STATIC_CHECKS=1, PERF_SKIP_DOTNET_TEST=1, and test-env.sh's port variables.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_GENERATE_ASPNET_CERTIFICATE=false
# No MSBuild worker nodes left behind holding the caller's stdout after the run.
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0

SOLUTION="${PERF_TEST_SOLUTION:-perf-platform.sln}"
RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/perf-test-run.XXXXXX")" || exit 1
RESULTS="${PERF_TEST_RESULTS_DIR:-$RUN_DIR/results}"
mkdir -p "$RESULTS" || exit 1

status=0          # becomes 1 on any failure
env_started=0
T0=$SECONDS

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; status=1; }

finish() {
    local rc=$?
    trap - EXIT INT TERM
    [ $rc -eq 0 ] || status=1
    if [ $env_started -eq 1 ] && [ -n "${PERF_TEST_ENV_DIR:-}" ]; then _perf_env_stop; fi
    # In CI nothing else builds on the machine: leave no compiler server running after the run.
    if [ "${CI:-}" = true ] && command -v dotnet >/dev/null 2>&1; then
        dotnet build-server shutdown >/dev/null 2>&1 || true
    fi
    local summary
    summary="$(bash "$ROOT/scripts/trx-summary.sh" "$RESULTS")"
    [ -n "${PERF_TEST_RESULTS_DIR:-}" ] || rm -rf "$RUN_DIR"
    [ "$(printf '%s' "$summary" | sed -E 's/^.*, ([0-9]+) failed.*$/\1/')" = 0 ] || status=1
    printf '\ntotal time %d s; result: %s\n' $((SECONDS - T0)) "$([ $status -eq 0 ] && echo OK || echo FAILED)"
    printf '%s\n' "$summary"
    exit $status
}
trap finish EXIT
trap 'echo "interrupted" >&2; exit 130' INT
trap 'echo "terminated" >&2; exit 143' TERM

# 1. install
if [ "${PERF_SKIP_INSTALL:-0}" != 1 ]; then
    say "install (only what is missing)"
    t=$SECONDS
    bash "$ROOT/scripts/install-deps.sh" || { fail "installing the dependencies"; exit 1; }
    echo "done in $((SECONDS - t)) s"
fi
command -v dotnet >/dev/null 2>&1 || { fail "dotnet (the .NET 10 SDK) is not on PATH"; exit 1; }

# 2. servers
say "start RabbitMQ and PostgreSQL"
# shellcheck source=scripts/test-env.sh
source "$ROOT/scripts/test-env.sh"
# This run's servers are its own: not recorded in .tmp/test-env.dir, and never one inherited from
# the caller's shell (a developer's `source scripts/test-env.sh start` stays untouched).
export PERF_TEST_ENV_NO_STATE=1
unset PERF_TEST_ENV_DIR PERF_TEST_RABBITMQ PERF_TEST_POSTGRES
env_started=1
_perf_env_start || { fail "starting the test servers"; exit 1; }
echo "PERF_TEST_RABBITMQ=$PERF_TEST_RABBITMQ"
echo "PERF_TEST_POSTGRES=$PERF_TEST_POSTGRES"

# 3. dotnet test
if [ "${PERF_SKIP_DOTNET_TEST:-0}" != 1 ]; then
    say "dotnet test $SOLUTION -c Release"
    t=$SECONDS
    dotnet test "$SOLUTION" -c Release --logger trx --results-directory "$RESULTS" --blame-hang-timeout 5m
    rc=$?
    echo "dotnet test exited with $rc after $((SECONDS - t)) s"
    if [ $rc -ne 0 ]; then
        fail "dotnet test exited with $rc (failed tests, a build error, or a crashed or hung test host: see above)"
    fi
    if ! find "$RESULTS" -name '*.trx' -print -quit | grep -q .; then
        echo "WARNING: no trx file was written: the solution ran no test project" >&2
    fi
fi

# 4. static checks
if [ "${PERF_SKIP_STATIC_CHECKS:-0}" != 1 ]; then
    say "static checks"
    bash "$ROOT/scripts/static-checks.sh" || fail "static checks"
fi

exit $status
