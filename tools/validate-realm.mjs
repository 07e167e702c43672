// Validates the Keycloak realm export that docker compose imports (docs/security.md), offline.
//
//   node tools/validate-realm.mjs deploy/keycloak/perf-realm.json [docker-compose.yml]
//
// The realm must give the services what their token validation reads from the ACCESS token:
// the five roles in a multi-valued "role" claim, the user attribute "sector" in a multi-valued
// "sector" claim, the audience perf-platform and the subject, for every client; the clients portal
// (confidential, authorization code with PKCE S256, nothing else), reporting (client credentials,
// perf.read), scoring (client credentials, perf.read and perf.admin) and at least one sample city system (client credentials, perf.* scopes); the demo
// users with their role, temporary passwords to be changed, the sector manager with a sector that
// only an administrator may edit. With the compose file, the client secrets must equal the
// defaults of the variables the compose file hands to the hosts.
// Exits 1 naming each problem.

import { readFileSync } from "node:fs";

const [file = "deploy/keycloak/perf-realm.json", composeFile] = process.argv.slice(2);
const errors = [];
const err = (where, msg) => errors.push(`${where}: ${msg}`);

const ROLES = ["admin", "strategic-control", "sector-manager", "oiv", "viewer"];
const SCOPES = ["perf.read", "perf.write", "perf.import", "perf.admin"];
const USERS = { admin: "admin", controllo: "strategic-control", dirigente: "sector-manager", oiv: "oiv", lettore: "viewer" };

let realm;
try {
  realm = JSON.parse(readFileSync(file, "utf8"));
} catch (e) {
  console.error(`${file}: does not parse: ${e.message}`);
  process.exit(1);
}

if (!realm.realm) err("realm", "has no name");
if (realm.enabled !== true) err("realm", "is not enabled");
if (realm.registrationAllowed) err("realm", "allows self-registration");

const roleNames = new Set((realm.roles?.realm ?? []).map((r) => r.name));
for (const r of ROLES) if (!roleNames.has(r)) err("roles.realm", `role "${r}" missing`);

const scopes = new Map((realm.clientScopes ?? []).map((s) => [s.name, s]));
for (const s of SCOPES) {
  const sc = scopes.get(s);
  if (!sc) err("clientScopes", `scope "${s}" missing`);
  else if (sc.attributes?.["include.in.token.scope"] !== "true") err(`clientScopes.${s}`, "is not written into the token's scope claim");
}

const cfgTrue = (m, k) => m.config?.[k] === "true";
const inAccessToken = (m) => cfgTrue(m, "access.token.claim");
// the mappers a client's tokens get: its own and those of its default client scopes
function mappersOf(client) {
  const own = client.protocolMappers ?? [];
  const fromScopes = (client.defaultClientScopes ?? []).flatMap((n) => scopes.get(n)?.protocolMappers ?? []);
  return [...own, ...fromScopes];
}
function checkClaims(client) {
  const where = `clients.${client.clientId}`;
  const ms = mappersOf(client);
  const role = ms.find((m) => m.protocolMapper === "oidc-usermodel-realm-role-mapper" && m.config?.["claim.name"] === "role");
  if (!role) err(where, `no realm-role mapper to the claim "role"`);
  else if (!cfgTrue(role, "multivalued") || !inAccessToken(role)) err(where, `the "role" claim must be multi-valued and in the access token`);
  const sector = ms.find((m) => m.protocolMapper === "oidc-usermodel-attribute-mapper" && m.config?.["user.attribute"] === "sector");
  if (!sector) err(where, `no user-attribute mapper for "sector"`);
  else if (sector.config?.["claim.name"] !== "sector" || !cfgTrue(sector, "multivalued") || !inAccessToken(sector)) {
    err(where, `the "sector" claim must be named sector, multi-valued and in the access token`);
  }
  const aud = ms.find((m) => m.protocolMapper === "oidc-audience-mapper" && m.config?.["included.custom.audience"] === "perf-platform");
  if (!aud || !inAccessToken(aud)) err(where, `no audience mapper putting "perf-platform" into the access token`);
  const sub = ms.find((m) => m.protocolMapper === "oidc-sub-mapper");
  if (!sub || !inAccessToken(sub)) err(where, `no "sub" in the access token (the audit's actor): the "basic" scope or an oidc-sub-mapper`);
  for (const n of [...(client.defaultClientScopes ?? []), ...(client.optionalClientScopes ?? [])]) {
    if (!scopes.has(n)) err(where, `client scope "${n}" is not defined in the realm`);
  }
}
const granted = (c) => new Set([...(c.defaultClientScopes ?? []), ...(c.optionalClientScopes ?? [])]);

const clients = realm.clients ?? [];
const client = (id) => clients.find((c) => c.clientId === id);
const portal = client("portal");
if (!portal) err("clients", `"portal" missing`);
else {
  const w = "clients.portal";
  if (portal.publicClient !== false || !portal.secret) err(w, "must be confidential (publicClient false, a secret)");
  if (portal.standardFlowEnabled !== true) err(w, "must use the authorization code flow");
  if (portal.implicitFlowEnabled || portal.directAccessGrantsEnabled || portal.serviceAccountsEnabled) err(w, "must not allow implicit, password or client-credentials grants");
  if (portal.attributes?.["pkce.code.challenge.method"] !== "S256") err(w, "must require PKCE S256");
  if (!(portal.redirectUris ?? []).length || (portal.redirectUris ?? []).some((u) => u.includes("*"))) err(w, "needs exact redirect URIs (no wildcards)");
  checkClaims(portal);
}
const machine = (c) => c.serviceAccountsEnabled === true && c.publicClient === false && !c.standardFlowEnabled &&
  !c.implicitFlowEnabled && !c.directAccessGrantsEnabled;
const reporting = client("reporting");
if (!reporting) err("clients", `"reporting" missing`);
else {
  if (!machine(reporting)) err("clients.reporting", "must be a confidential client-credentials client only");
  if (!(reporting.defaultClientScopes ?? []).includes("perf.read")) err("clients.reporting", "must get perf.read");
  for (const s of SCOPES) if (s !== "perf.read" && granted(reporting).has(s)) err("clients.reporting", `must not get ${s}`);
  checkClaims(reporting);
}
// Scoring's reconciler reads Objectives' years and asks for republishes (RepublishYear: the right operations).
const scoring = client("scoring");
if (!scoring) err("clients", `"scoring" missing`);
else {
  if (!machine(scoring)) err("clients.scoring", "must be a confidential client-credentials client only");
  for (const s of ["perf.read", "perf.admin"]) if (!(scoring.defaultClientScopes ?? []).includes(s)) err("clients.scoring", `must get ${s}`);
  for (const s of SCOPES) if (!["perf.read", "perf.admin"].includes(s) && granted(scoring).has(s)) err("clients.scoring", `must not get ${s}`);
  checkClaims(scoring);
}
const cities = clients.filter((c) => !["portal", "reporting", "scoring"].includes(c.clientId) && machine(c) && SCOPES.some((s) => granted(c).has(s)));
if (!cities.length) err("clients", "no sample city-system client (client credentials with perf.* scopes)");
for (const c of cities) {
  checkClaims(c);
  if (granted(c).has("perf.admin")) err(`clients.${c.clientId}`, "a city system must not get perf.admin");
}

const users = new Map((realm.users ?? []).map((u) => [u.username, u]));
for (const [name, role] of Object.entries(USERS)) {
  const u = users.get(name);
  const w = `users.${name}`;
  if (!u) { err(w, "missing"); continue; }
  if (!(u.realmRoles ?? []).includes(role)) err(w, `must have the role ${role}`);
  const pw = (u.credentials ?? []).filter((c) => c.type === "password");
  if (!pw.length || pw.some((c) => c.temporary !== true)) err(w, "needs a temporary password");
  if (!(u.requiredActions ?? []).includes("UPDATE_PASSWORD")) err(w, "must change the password at first login (UPDATE_PASSWORD)");
  if (role === "sector-manager" && !(u.attributes?.sector ?? []).length) err(w, "needs a sector attribute");
}

// The user profile (Keycloak 24+) drops undeclared attributes: "sector" must be declared,
// multi-valued, and editable by administrators only.
const profiles = realm.components?.["org.keycloak.userprofile.UserProfileProvider"] ?? [];
const profileJson = profiles[0]?.config?.["kc.user.profile.config"]?.[0];
if (!profileJson) err("components", "no user profile declaring the attribute sector");
else {
  const sector = (JSON.parse(profileJson).attributes ?? []).find((a) => a.name === "sector");
  if (!sector) err("user profile", "attribute sector not declared");
  else {
    if (sector.multivalued !== true) err("user profile", "sector must be multi-valued");
    const edit = sector.permissions?.edit ?? [];
    if (edit.length !== 1 || edit[0] !== "admin") err("user profile", "sector must be editable by administrators only");
  }
}

if (composeFile) {
  const compose = readFileSync(composeFile, "utf8");
  for (const [id, variable] of [["portal", "PORTAL_CLIENT_SECRET"], ["reporting", "REPORTING_CLIENT_SECRET"], ["scoring", "SCORING_CLIENT_SECRET"]]) {
    const m = new RegExp(`\\$\\{${variable}:-([^}]*)\\}`).exec(compose);
    if (!m) err(composeFile, `does not hand ${variable} to the hosts`);
    else if (client(id) && client(id).secret !== m[1]) err(`clients.${id}`, `secret differs from ${variable}'s default in ${composeFile}`);
  }
  if (!compose.includes("./deploy/keycloak:/opt/keycloak/data/import")) err(composeFile, "does not mount deploy/keycloak as Keycloak's import directory");
}

if (errors.length) {
  console.error(`${file}: ${errors.length} problem(s):`);
  for (const e of errors) console.error(`  ERROR ${e}`);
  process.exit(1);
}
console.log(`${file}: valid: realm ${realm.realm}, roles ${ROLES.join(", ")}, clients ${clients.map((c) => c.clientId).join(", ")}, users ${[...users.keys()].join(", ")}`);
