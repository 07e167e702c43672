#!/usr/bin/env bash
# Installs what the test command needs and is missing; quiet, idempotent, fast when all is there.
#
#   bash scripts/install-deps.sh          # Debian packages + tools/node_modules
#   bash scripts/install-deps.sh --npm    # only tools/node_modules (npm ci, when package-lock.json changed)
#
# Debian packages (apt-get update runs only when one of them is missing):
#   rabbitmq-server, postgresql         real servers for the integration tests (scripts/test-env.sh)
#   chromium, chromium-driver           browser tests (/usr/bin/chromium, /usr/bin/chromedriver)
#   poppler-utils                       pdftotext / pdftoppm for report tests
#   fonts-dejavu-core                   the font the Reporting service embeds in its PDFs
#   docker-compose (no recommends)      `docker-compose config` for the static compose check;
#                                       --no-install-recommends keeps the docker.io daemon out
#   the linter shellcheck               lint of the shell scripts (static checks)
#   kubectl                             `kubectl kustomize` (only when no kubectl is on PATH and
#                                       apt knows a candidate: Debian 12 itself has none, this
#                                       machine image ships one)
#   nodejs, npm                         only when node/npm are missing
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '[install-deps] %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else
        log "not root: cannot run '$*'; install the packages listed above yourself"; return 1
    fi
}

pkg_installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

apt_install() { # apt_install [--no-install-recommends] pkg...
    local out
    out="$(mktemp)"
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 "$@" >"$out" 2>&1; then
        tail -n 30 "$out" >&2; rm -f "$out"; log "apt-get install $* failed"; return 1
    fi
    rm -f "$out"
}

install_debian() {
    local want=(rabbitmq-server postgresql chromium chromium-driver poppler-utils fonts-dejavu-core shellcheck)
    local want_norec=(docker-compose)
    local missing=() missing_norec=() p
    for p in "${want[@]}"; do pkg_installed "$p" || missing+=("$p"); done
    for p in "${want_norec[@]}"; do pkg_installed "$p" || missing_norec+=("$p"); done
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    local need_kubectl=0
    command -v kubectl >/dev/null 2>&1 || need_kubectl=1

    if [ ${#missing[@]} -eq 0 ] && [ ${#missing_norec[@]} -eq 0 ] && [ $need_kubectl -eq 0 ]; then
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 || { log "apt-get not found: install ${missing[*]} ${missing_norec[*]} by hand"; return 1; }

    log "installing: ${missing[*]} ${missing_norec[*]} $([ $need_kubectl -eq 1 ] && echo kubectl)"
    local t0=$SECONDS out
    out="$(mktemp)"
    if ! as_root apt-get update -qq >"$out" 2>&1; then
        tail -n 20 "$out" >&2; rm -f "$out"; log "apt-get update failed"; return 1
    fi
    rm -f "$out"
    if [ $need_kubectl -eq 1 ]; then
        if apt-cache policy kubectl 2>/dev/null | grep -q 'Candidate: [0-9]'; then
            missing+=(kubectl)
        else
            log "WARNING: no kubectl on PATH and no 'kubectl' package known to apt;" \
                "the k8s render check will fail (Debian's kubernetes-client 1.20 is too old for kustomize 5)"
        fi
    fi
    [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
    [ ${#missing_norec[@]} -eq 0 ] || apt_install --no-install-recommends "${missing_norec[@]}"
    log "Debian packages installed in $((SECONDS - t0)) s"
}

# tools/node_modules from the committed package-lock.json; `npm ci` only when the lock changed.
install_npm() {
    local tools="$ROOT/tools" stamp hash
    [ -f "$tools/package-lock.json" ] || { log "missing $tools/package-lock.json"; return 1; }
    command -v npm >/dev/null 2>&1 || { log "npm not found"; return 1; }
    stamp="$tools/node_modules/.perf-lock.sha256"
    hash="$(sha256sum "$tools/package-lock.json" | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
        return 0
    fi
    log "npm ci in tools/"
    local out
    out="$(mktemp)"
    if ! (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error) >"$out" 2>&1; then
        tail -n 30 "$out" >&2; rm -f "$out"; log "npm ci failed"; return 1
    fi
    rm -f "$out"
    printf '%s\n' "$hash" >"$stamp"
}

case "${1:-all}" in
    all) install_debian; install_npm ;;
    --npm) install_npm ;;
    --debian) install_debian ;;
    *) echo "usage: $0 [--npm|--debian]" >&2; exit 2 ;;
esac
