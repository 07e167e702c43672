#!/usr/bin/env bash
# Static checks of the operations files; offline, no Docker daemon or cluster needed.
#   bash scripts/static-checks.sh
#
#   shell       bash -n and shellcheck on scripts/, .ci/run, deploy/ and k8s/ shell scripts
#   dockerfiles every deploy/**/*Dockerfile: the csproj paths it names exist, its COPY sources
#               exist, sdk build stage + aspnet runtime stage, a non-root USER in the final
#               stage, ENTRYPOINT on the project's assembly
#   hosts       each host csproj of tools/contract.mjs exists and is built by exactly one Dockerfile
#               (the compose service and the k8s Deployment of that host are checked below)
#   compose     docker-compose config -q (Debian's docker-compose 1.29, no daemon needed), with the
#               built-in defaults and with .env.example; then tools/validate-compose.mjs (Compose
#               Specification JSON schema + project rules)
#   realm       deploy/keycloak/perf-realm.json parses and has the five roles, the clients portal,
#               reporting and a city system, the role/sector/audience mappers in the access token and
#               the demo users (tools/validate-realm.mjs, against docker-compose.yml's secrets)
#   k8s         kubectl kustomize of k8s/base and of every k8s/overlays/*, in a scratch copy where
#               a missing prod secrets.env is stood in for by secrets.env.example; each rendering
#               through tools/validate-k8s.mjs (kubernetes-models schemas + project rules,
#               NetworkPolicies included: default deny, every workload selected, every call allowed)
#   copies      k8s/overlays/dev/postgres-init/ holds the same script as deploy/postgres/init/
#   secrets     .env and k8s/overlays/*/secrets.env of non-dev overlays are not tracked by git
# Exits 1 if any check failed, after running all of them.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1

failures=0
section() { printf -- '-- %s\n' "$*"; }
ok() { printf '   ok: %s\n' "$*"; }
bad() { printf '   FAIL: %s\n' "$*"; failures=$((failures + 1)); }
need() { command -v "$1" >/dev/null 2>&1 || { bad "'$1' not found (bash scripts/install-deps.sh installs it)"; return 1; }; }

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/perf-static.XXXXXX")" || exit 1
trap 'rm -rf "$SCRATCH"' EXIT

# tools/node_modules (npm ci from the committed lock, skipped when up to date)
if need node && need npm; then
    bash "$ROOT/scripts/install-deps.sh" --npm || bad "npm ci in tools/"
fi

# ------------------------------------------------------------------ shell
section "shell scripts"
mapfile -t shell_files < <(
    { ls scripts/*.sh .ci/run 2>/dev/null; find deploy k8s -name '*.sh' 2>/dev/null; } | sort -u)
for f in "${shell_files[@]}"; do
    bash -n "$f" || bad "bash -n $f"
done
if command -v shellcheck >/dev/null 2>&1; then
    if shellcheck -S warning -x "${shell_files[@]}"; then ok "shellcheck: ${#shell_files[@]} files"; else bad "shellcheck"; fi
else
    bad "shellcheck not installed"
fi

# ------------------------------------------------------------------ dockerfiles
section "Dockerfiles"
mapfile -t dockerfiles < <(find deploy -type f \( -name '*.Dockerfile' -o -name 'Dockerfile' \) | sort)
[ ${#dockerfiles[@]} -gt 0 ] || bad "no Dockerfile under deploy/"
for df in "${dockerfiles[@]}"; do
    before=$failures
    # csproj paths it names (ARG PROJECT=..., COPY, RUN dotnet ...)
    mapfile -t projs < <(grep -oE '[A-Za-z0-9_./-]+\.csproj' "$df" | sort -u)
    [ ${#projs[@]} -gt 0 ] || bad "$df names no .csproj"
    for p in "${projs[@]}"; do
        [ -f "$p" ] || bad "$df: $p does not exist"
    done
    # COPY sources from the build context (not --from=stage; '.' is the whole filtered context)
    while read -r src; do
        case "$src" in .|./) continue ;; esac
        compgen -G "$src" >/dev/null || [ -e "$src" ] || bad "$df: COPY source $src does not exist"
    done < <(awk 'toupper($1)=="COPY" && $0 !~ /--from=/ {
                 n = 0; for (i = 2; i <= NF; i++) if ($i !~ /^--/) a[++n] = $i
                 for (i = 1; i < n; i++) print a[i]; delete a }' "$df")
    grep -qiE '^FROM[[:space:]]+mcr\.microsoft\.com/dotnet/sdk:' "$df" || bad "$df: no mcr.microsoft.com/dotnet/sdk build stage"
    final_from="$(grep -inE '^FROM[[:space:]]' "$df" | tail -n 1)"
    case "$final_from" in
        *mcr.microsoft.com/dotnet/aspnet:*) ;;
        *) bad "$df: the final stage is not mcr.microsoft.com/dotnet/aspnet (${final_from#*:})" ;;
    esac
    final_line="${final_from%%:*}"
    final_user="$(tail -n +"$final_line" "$df" | grep -iE '^USER[[:space:]]' | tail -n 1 | awk '{print $2}')"
    case "$final_user" in
        "") bad "$df: no USER in the final stage (runs as root)" ;;
        root|0|root:*|0:*) bad "$df: final USER is root" ;;
    esac
    # the entry point runs the assembly the csproj produces
    if [ ${#projs[@]} -eq 1 ] && [ -f "${projs[0]}" ]; then
        asm="$(grep -oE '<AssemblyName>[^<]+</AssemblyName>' "${projs[0]}" | sed -E 's/<[^>]+>//g' | head -n 1)"
        [ -n "$asm" ] || asm="$(basename "${projs[0]}" .csproj)"
        grep -qE "^ENTRYPOINT.*\"$asm\.dll\"" "$df" || bad "$df: ENTRYPOINT does not run $asm.dll"
    fi
    [ $failures -eq "$before" ] && ok "$df (${projs[*]})"
done

# ------------------------------------------------------------------ hosts
section "hosts: csproj -> Dockerfile"
if command -v node >/dev/null 2>&1; then
    while read -r name csproj; do
        [ -f "$csproj" ] || { bad "$name: $csproj does not exist"; continue; }
        mapfile -t users < <(grep -lF "$csproj" "${dockerfiles[@]}" 2>/dev/null)
        if [ ${#users[@]} -ne 1 ]; then
            bad "$name: $csproj is built by ${#users[@]} Dockerfiles (${users[*]:-none}), expected 1"
        elif [ "$(basename "${users[0]}" .Dockerfile)" != "$name" ]; then
            bad "$name: built by ${users[0]}, expected deploy/docker/$name.Dockerfile (the image name follows it)"
        else
            ok "$name: $csproj <- ${users[0]}"
        fi
    done < <(node tools/contract.mjs hosts)
fi

# ------------------------------------------------------------------ compose
section "docker-compose.yml"
if need docker-compose; then
    # The project directory is a scratch copy so that a developer's own .env does not take part.
    mkdir -p "$SCRATCH/compose"
    cp docker-compose.yml .env.example "$SCRATCH/compose/"
    if (cd "$SCRATCH/compose" && docker-compose -f docker-compose.yml config -q); then ok "docker-compose config (defaults)"; else bad "docker-compose config (defaults)"; fi
    if (cd "$SCRATCH/compose" && docker-compose --env-file .env.example -f docker-compose.yml config -q); then ok "docker-compose config (.env.example)"; else bad "docker-compose config (.env.example)"; fi
fi
if [ -d tools/node_modules ]; then
    node tools/validate-compose.mjs docker-compose.yml || bad "validate-compose (defaults)"
    node tools/validate-compose.mjs docker-compose.yml --env-file .env.example || bad "validate-compose (.env.example)"
fi

# ------------------------------------------------------------------ realm
section "Keycloak realm"
if need node; then
    node tools/validate-realm.mjs deploy/keycloak/perf-realm.json docker-compose.yml || bad "validate-realm"
fi

# ------------------------------------------------------------------ k8s
section "kustomize"
if need kubectl && [ -d tools/node_modules ]; then
    cp -r k8s "$SCRATCH/k8s"
    for overlay in "$SCRATCH"/k8s/overlays/*/; do
        if grep -qE '^[[:space:]]*-[[:space:]]*secrets\.env[[:space:]]*$' "$overlay/kustomization.yaml" \
           && [ ! -f "$overlay/secrets.env" ] && [ -f "$overlay/secrets.env.example" ]; then
            cp "$overlay/secrets.env.example" "$overlay/secrets.env"
        fi
    done
    targets=("$SCRATCH/k8s/base" "$SCRATCH"/k8s/overlays/*/)
    for dir in "${targets[@]}"; do
        dir="${dir%/}"
        rel="k8s/${dir#"$SCRATCH"/k8s/}"
        if ! kubectl kustomize "$dir" >"$SCRATCH/rendered.yaml" 2>"$SCRATCH/kustomize.err"; then
            bad "kubectl kustomize $rel:"
            sed -e 's/^/         /' "$SCRATCH/kustomize.err" | head -n 8
            continue
        fi
        mode=()
        [ "$rel" = k8s/base ] && mode=(--schema-only)   # base alone lacks the overlays' Secret
        node tools/validate-k8s.mjs --source "$rel" "${mode[@]}" <"$SCRATCH/rendered.yaml" || bad "validate-k8s $rel"
        # every rendering carries the NetworkPolicies (validate-k8s checks what they allow)
        grep -q '^kind: NetworkPolicy$' "$SCRATCH/rendered.yaml" || bad "kubectl kustomize $rel renders no NetworkPolicy"
    done
fi

# ------------------------------------------------------------------ copies
section "copies"
for f in deploy/postgres/init/*.sh; do
    copy="k8s/overlays/dev/postgres-init/$(basename "$f")"
    if cmp -s "$f" "$copy"; then ok "$copy = $f"; else bad "$copy differs from $f (copy it: cp $f $copy)"; fi
done

# ------------------------------------------------------------------ secrets
section "secrets not committed"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    tracked="$(git ls-files -- .env '**/.env' 'k8s/overlays/*/secrets.env' | grep -v '^k8s/overlays/dev/' || true)"
    if [ -n "$tracked" ]; then bad "tracked by git, must not be: $tracked"; else ok "no .env or non-dev secrets.env tracked"; fi
fi

echo
if [ $failures -gt 0 ]; then
    echo "static checks: $failures failure(s)" >&2
    exit 1
fi
echo "static checks: all passed"
