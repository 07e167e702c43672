#!/usr/bin/env bash
# The platform on one machine, with embedded defaults:  bash scripts/run.sh
#
# Four processes, nothing to install: the services (Objectives, Scoring) in one process with a SQLite
# file each and the in-process bus (embedded/Embedded.Host, which loads the Lecce 2023 annex on first
# start), the portal, the identity provider (services/Identity/Identity.Host), and the gateway in front
# of them. Ctrl-C stops all four.
#
#   http://localhost:8080   the portal, through the gateway (browsers); also the identity provider's
#                           /connect/*, /.well-known/* and /account/* (issuer http://localhost:8080/)
#   http://localhost:8081   gRPC through the gateway (HTTP/2 cleartext): perf.objectives.v1, perf.scoring.v1
#   http://localhost:5100   gRPC of the services directly
#   http://localhost:5300   the identity provider directly
#
# Demo login (docs/security.md): users admin, controllo (strategic-control), dirigente (sector manager,
# Settore 08), oiv, lettore (viewer). Their initial passwords are random and printed ONCE, at the first
# start, in the [identity] lines ("Identity: utenti demo creati ... / demo users created ..."); change
# them at http://localhost:8080/account/change-password. Lost them? Stop, delete $data_dir/identity*,
# start again (new users, new passwords, new signing key). Client secrets here are "<client id>-dev-only"
# (portal, scoring, reporting, embedded, city-system-sample). A machine token:
#   curl -s -d grant_type=client_credentials -d client_id=city-system-sample \
#        -d client_secret=city-system-sample-dev-only -d scope=perf.read http://localhost:8080/connect/token
#
# Data stays in embedded/Embedded.Host/.data (delete it to start again from the 2023 annex).
# Ports and data can be moved (e.g. by tests, or when 8080 is taken): PERF_RUN_HTTP_PORT (8080),
# PERF_RUN_GRPC_PORT (8081), PERF_RUN_SERVICES_PORT (5100), PERF_RUN_PORTAL_PORT (5200),
# PERF_RUN_IDENTITY_PORT (5300), PERF_RUN_DATA_DIR (embedded/Embedded.Host/.data); PERF_RUN_NO_BUILD=1
# skips the build. The management ports (health, metrics) follow their service's port unless set:
# PERF_RUN_SERVICES_MANAGEMENT_PORT (services + 80), PERF_RUN_PORTAL_MANAGEMENT_PORT (portal + 3891),
# PERF_RUN_IDENTITY_MANAGEMENT_PORT (identity + 3793), PERF_RUN_GATEWAY_MANAGEMENT_PORT (http + 1012).
#
# SIGINT (Ctrl-C), SIGTERM and SIGHUP (a closed terminal) stop every process it started: each runs in a
# process group of its own (job control), and the whole group is signalled, `dotnet run` and its app alike.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"

http_port=${PERF_RUN_HTTP_PORT:-8080}
grpc_port=${PERF_RUN_GRPC_PORT:-8081}
services_port=${PERF_RUN_SERVICES_PORT:-5100}
portal_port=${PERF_RUN_PORTAL_PORT:-5200}
identity_port=${PERF_RUN_IDENTITY_PORT:-5300}
data_dir=${PERF_RUN_DATA_DIR:-$ROOT/embedded/Embedded.Host/.data}
# Management ports follow their service's port (defaults 5180, 9091, 9092, 9093).
services_management_port=${PERF_RUN_SERVICES_MANAGEMENT_PORT:-$((services_port + 80))}
portal_management_port=${PERF_RUN_PORTAL_MANAGEMENT_PORT:-$((portal_port + 3891))}
identity_management_port=${PERF_RUN_IDENTITY_MANAGEMENT_PORT:-$((identity_port + 3793))}
gateway_management_port=${PERF_RUN_GATEWAY_MANAGEMENT_PORT:-$((http_port + 1012))}

if [ "${PERF_RUN_NO_BUILD:-0}" != 1 ]; then
    echo "building..."
    for project in embedded/Embedded.Host web/Portal services/Identity/Identity.Host gateway/Gateway; do
        dotnet build "$project" -c Release -nologo -v quiet >/dev/null
    done
fi

# Job control: every background job gets its own process group, whose id is the job's pid.
set -m
groups=()
stop() {
    trap - EXIT INT TERM HUP
    local g
    for g in "${groups[@]}"; do kill -TERM -- "-$g" 2>/dev/null || true; done
    # Give them 10 s to shut down cleanly, then end what is left.
    for _ in $(seq 100); do
        local alive=0
        for g in "${groups[@]}"; do kill -0 -- "-$g" 2>/dev/null && alive=1; done
        [ $alive -eq 0 ] && break
        sleep 0.1
    done
    for g in "${groups[@]}"; do kill -KILL -- "-$g" 2>/dev/null || true; done
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

run() { # name, project, then KEY=VALUE settings
    local name=$1 project=$2; shift 2
    # Output through a process substitution, so the job (and its group) is the dotnet process alone.
    env "$@" dotnet run --no-build -c Release --project "$project" > >(sed -u "s/^/[$name] /") 2>&1 &
    groups+=($!)
}

# Every process validates tokens of the provider below (its issuer is the gateway's browser URL); the services fetch
# its keys from it directly, and call themselves with the client "embedded".
run services embedded/Embedded.Host DataDirectory="$data_dir" \
    Auth__Authority="http://localhost:$http_port/" Auth__MetadataAddress="http://localhost:$identity_port/.well-known/openid-configuration" \
    Auth__RequireHttpsMetadata=false Auth__ClientId=embedded Auth__ClientSecret=embedded-dev-only \
    Kestrel__Endpoints__Grpc__Url=http://localhost:$services_port Kestrel__Endpoints__Http__Url=http://localhost:$services_management_port
# The portal's key ring (cookies, antiforgery) in portal.db beside the services' files: a restart logs nobody out.
# The entity's name in the header, also for visitors before any year is published.
run portal web/Portal DataDirectory="$data_dir" Portal__EntityName="Città di Lecce" Services__Objectives=http://localhost:$services_port Services__Scoring=http://localhost:$services_port \
    Services__Reporting=http://localhost:$services_port \
    Auth__Authority="http://localhost:$http_port/" Auth__RequireHttpsMetadata=false Auth__ClientSecret=portal-dev-only \
    Kestrel__Endpoints__Http__Url=http://localhost:$portal_port Kestrel__Endpoints__Management__Url=http://localhost:$portal_management_port
# The identity provider's issuer is the gateway's browser URL: the same for browsers and services.
clients=()
for client in portal scoring reporting embedded city-system-sample; do clients+=("Identity__Clients__${client}__Secret=$client-dev-only"); done
run identity services/Identity/Identity.Host DataDirectory="$data_dir" Auth__Issuer="http://localhost:$http_port/" \
    Identity__PortalUrl="http://localhost:$http_port" "${clients[@]}" \
    Kestrel__Endpoints__Http__Url=http://localhost:$identity_port Kestrel__Endpoints__Management__Url=http://localhost:$identity_management_port
run gateway gateway/Gateway Services__Objectives=http://localhost:$services_port Services__Scoring=http://localhost:$services_port \
    Services__Reporting=http://localhost:$services_port Services__Identity=http://localhost:$identity_port \
    Services__Portal=http://localhost:$portal_port Kestrel__Endpoints__Http__Url=http://localhost:$http_port \
    Auth__Authority="http://localhost:$http_port/" Auth__MetadataAddress="http://localhost:$identity_port/.well-known/openid-configuration" \
    Auth__RequireHttpsMetadata=false \
    Kestrel__Endpoints__Grpc__Url=http://localhost:$grpc_port Kestrel__Endpoints__Management__Url=http://localhost:$gateway_management_port

echo "perf-platform: portal http://localhost:$http_port  ·  login http://localhost:$http_port/account/login  ·  gRPC http://localhost:$grpc_port (gateway) or :$services_port (direct)  ·  Ctrl-C stops"
wait -n "${groups[@]}"
