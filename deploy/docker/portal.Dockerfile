# syntax=docker/dockerfile:1
# Razor Pages portal: HTTP/1.1 on 5200, management HTTP on 9090 (/healthz, /readyz). Its key ring:
# ConnectionStrings__PortalDb (PostgreSQL), else /data/portal.db (docs/security.md).
# Build context: the repository root.
#   docker build -f deploy/docker/portal.Dockerfile -t perf-platform/portal:dev .
# (docker-compose.yml builds it the same way.) Needs BuildKit (the default builder of current Docker).
ARG DOTNET_VERSION=10.0

# --- sources: the build context (filtered by <this Dockerfile>.dockerignore) without local build
# output, and apart from it only the files 'dotnet restore' reads, at their paths: a code change
# then leaves the restore layer cached.
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS sources
WORKDIR /src
COPY . .
RUN find . -type d \( -name bin -o -name obj -o -name node_modules -o -name .git \) -prune -exec rm -rf {} + \
 && mkdir -p /restore \
 && find . -type f \( -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name 'packages.lock.json' -o -iname 'nuget.config' \) \
        -exec cp --parents {} /restore/ \;

# --- build: central build settings first, then restore, then the code.
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY --from=sources /restore/ ./
ARG PROJECT=web/Portal/Portal.csproj
RUN --mount=type=cache,id=perf-nuget,target=/root/.nuget/packages,sharing=locked \
    dotnet restore "${PROJECT}"
COPY --from=sources /src/ ./
RUN --mount=type=cache,id=perf-nuget,target=/root/.nuget/packages,sharing=locked \
    dotnet publish "${PROJECT}" -c Release --no-restore -o /app -p:UseAppHost=false

# --- runtime: ASP.NET Core only, as the image's non-root 'app' user (uid 1654).
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
WORKDIR /app
# The data directory: the SQLite key ring (portal.db) when ConnectionStrings__PortalDb is not set, one
# container only. Compose and Kubernetes set it (PostgreSQL, shared by every replica).
RUN mkdir -p /data && chown "$APP_UID" /data
ENV ASPNETCORE_ENVIRONMENT=Production \
    DataDirectory=/data \
    DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
COPY --chmod=0755 deploy/docker/healthcheck.sh /usr/local/bin/perf-healthcheck
COPY --from=build /app ./
USER $APP_UID
EXPOSE 5200 9090
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/usr/local/bin/perf-healthcheck", "9090", "/readyz"]
ENTRYPOINT ["dotnet", "Portal.dll"]
