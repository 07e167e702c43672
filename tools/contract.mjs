// The deployment contract the C# hosts follow (docs/operations.md), in one place for the checkers.
//   node tools/contract.mjs hosts     prints "name csproj" per deployed host (used by static-checks.sh)

export const NAMESPACE = "perf-platform";
export const MANAGEMENT_PORT = 9090;
export const LIVENESS_PATH = "/healthz";
export const READINESS_PATH = "/readyz";

const otel = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME"];
// Token validation (docs/security.md); planned in the hosts, already in compose and k8s.
const auth = ["Auth__Authority", "Auth__Audience", "Auth__RoleClaim", "Auth__SectorClaim"];
const services = ["Services__Objectives", "Services__Scoring", "Services__Portal"];
const gatewayServices = [...services, "Services__Reporting"];

// name: the compose service, the k8s Deployment and the image's last path segment.
// optional: deployed only in some renderings (identity: compose profile embedded-idp, k8s dev overlay;
// prod uses the comune's provider): checked where it is deployed, not required everywhere.
export const HOSTS = {
  objectives: {
    csproj: "services/Objectives/Objectives.Host/Objectives.Host.csproj",
    ports: { grpc: 5101 },
    env: ["ConnectionStrings__ObjectivesDb", "ConnectionStrings__RabbitMq", ...otel, ...auth],
  },
  scoring: {
    csproj: "services/Scoring/Scoring.Host/Scoring.Host.csproj",
    ports: { grpc: 5102 },
    env: ["ConnectionStrings__ScoringDb", "ConnectionStrings__RabbitMq", "Services__Objectives", ...otel, ...auth],
  },
  reporting: {
    csproj: "services/Reporting/Reporting.Host/Reporting.Host.csproj",
    ports: { grpc: 5103 },
    env: ["ConnectionStrings__ReportingDb", "ConnectionStrings__RabbitMq", "Services__Objectives", "Services__Scoring", ...otel, ...auth],
  },
  portal: {
    csproj: "web/Portal/Portal.csproj",
    ports: { http: 5200 },
    env: ["ConnectionStrings__PortalDb", ...services, ...otel, ...auth, "Auth__PortalClientSecret"],
  },
  identity: {
    csproj: "services/Identity/Identity.Host/Identity.Host.csproj",
    ports: { http: 5300 },
    env: ["ConnectionStrings__IdentityDb", "Auth__Issuer", "Identity__PortalUrl", "DataDirectory", ...otel],
    optional: true,
  },
  gateway: {
    csproj: "gateway/Gateway/Gateway.csproj",
    ports: { http: 8080, grpc: 8081 },
    env: [...gatewayServices, ...otel, ...auth],
  },
};

// The image name of a container image reference: "registry:5000/a/objectives:1.2@sha256:..." -> "objectives".
export function imageBaseName(image) {
  const noDigest = String(image).split("@")[0];
  const last = noDigest.split("/").pop();
  return last.split(":")[0];
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === "hosts") {
  for (const [name, h] of Object.entries(HOSTS)) console.log(`${name} ${h.csproj}`);
}
