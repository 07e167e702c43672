// Validates rendered Kubernetes manifests, offline.
//
//   kubectl kustomize k8s/overlays/dev | node tools/validate-k8s.mjs --source k8s/overlays/dev
//   ... | node tools/validate-k8s.mjs --source k8s/base --schema-only
//
// 1. Schema: every object of the multi-document YAML on stdin is checked with the matching class of
//    the npm package kubernetes-models (the Kubernetes OpenAPI schemas: types, required fields,
//    enums). Those schemas do not reject unknown fields, hence:
// 2. Policy (unless --schema-only), the rules this project deploys by (docs/operations.md):
//    namespace and app.kubernetes.io/* labels; every container with resource requests and limits,
//    probes, no privilege escalation, all capabilities dropped, pods non-root; the hosts of
//    tools/contract.mjs each as a Deployment with liveness /healthz and readiness /readyz on the
//    management port 9090, a read-only root filesystem with an emptyDir on /tmp and the settings
//    they need; and every reference resolving inside the rendered set (ConfigMaps, Secrets and
//    their keys, ServiceAccounts, volumes, named ports, Service selectors, Ingress backends,
//    HPA targets, PDB selectors); network policies (docs/security.md): a default deny of ingress
//    and egress, every workload selected by a policy of its own, no rule open to every peer or
//    port, each host reachable on its ports, every call a host makes by its Services__* settings
//    allowed at both ends, its database, broker, collector and DNS reachable, and peers outside the
//    namespace let in only to the gateway, one port each, the browser and gRPC ports by
//    different peers.
// Exits 1 naming kind/name and the problem for each error found.

import { parseAllDocuments } from "yaml";
import {
  HOSTS, NAMESPACE, MANAGEMENT_PORT, LIVENESS_PATH, READINESS_PATH, imageBaseName,
} from "./contract.mjs";

const args = process.argv.slice(2);
const source = args.includes("--source") ? args[args.indexOf("--source") + 1] : "stdin";
const schemaOnly = args.includes("--schema-only");

const errors = [];
const err = (obj, msg) => errors.push(`${idOf(obj)}: ${msg}`);
function idOf(obj) {
  if (!obj || typeof obj !== "object") return "(not an object)";
  return `${obj.kind ?? "?"}/${obj.metadata?.name ?? "?"}`;
}

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return Buffer.concat(chunks).toString("utf8");
}

// ---------------------------------------------------------------- schema
async function modelFor(apiVersion, kind) {
  // apiVersion "v1" -> kubernetes-models/v1/Kind; "apps/v1" -> kubernetes-models/apps/v1/Kind
  if (!/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    return null;
  }
  try {
    const mod = await import(`kubernetes-models/${apiVersion}/${kind}`);
    return mod[kind] ?? null;
  } catch {
    return null;
  }
}

function formatAjvError(e) {
  const where = (e.instancePath || "").replace(/^\//, "") || "(root)";
  let msg = e.message ?? e.keyword;
  if (e.keyword === "enum" && e.params?.allowedValues) msg += `: ${e.params.allowedValues.join(", ")}`;
  return `${where} ${msg}`;
}

async function validateSchema(obj) {
  if (typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") {
    err(obj, "missing apiVersion or kind");
    return false;
  }
  if (!obj.metadata || typeof obj.metadata.name !== "string" || !obj.metadata.name) {
    err(obj, "missing metadata.name");
    return false;
  }
  const Model = await modelFor(obj.apiVersion, obj.kind);
  if (!Model) {
    err(obj, `unknown apiVersion/kind "${obj.apiVersion}" "${obj.kind}" (no such model in kubernetes-models)`);
    return false;
  }
  // kustomize folds long base64 values of Secret data over several lines; the API server's base64
  // decoder skips line breaks, the schema's "byte" format does not.
  const data = obj.kind === "Secret" && obj.data
    ? { ...obj, data: Object.fromEntries(Object.entries(obj.data).map(([k, v]) => [k, typeof v === "string" ? v.replace(/\s+/g, "") : v])) }
    : obj;
  try {
    new Model(data).validate();
    return true;
  } catch (e) {
    const list = Array.isArray(e.errors) && e.errors.length ? e.errors.map(formatAjvError) : [e.message];
    for (const m of list) err(obj, `schema: ${m}`);
    return false;
  }
}

// ---------------------------------------------------------------- policy
const CLUSTER_SCOPED = new Set([
  "Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass",
  "CustomResourceDefinition", "PriorityClass", "IngressClass", "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration", "APIService",
]);
const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]);

const subset = (small, big) =>
  small && Object.keys(small).length > 0 && Object.entries(small).every(([k, v]) => big?.[k] === v);

function policy(objects) {
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const find = (kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const workloads = objects.filter((o) => WORKLOADS.has(o.kind));
  const podSpec = (w) => w.spec?.template?.spec ?? {};
  const podLabels = (w) => w.spec?.template?.metadata?.labels ?? {};
  const containersOf = (w) => [...(podSpec(w).initContainers ?? []), ...(podSpec(w).containers ?? [])];

  // identity, namespace, labels
  const seen = new Set();
  for (const o of objects) {
    const key = `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
    if (seen.has(key)) err(o, "defined twice");
    seen.add(key);
    if (!CLUSTER_SCOPED.has(o.kind) && o.metadata.namespace !== NAMESPACE) {
      err(o, `namespace is "${o.metadata.namespace ?? "(none)"}", expected "${NAMESPACE}"`);
    }
    const labels = o.metadata.labels ?? {};
    if (labels["app.kubernetes.io/part-of"] !== NAMESPACE) err(o, `label app.kubernetes.io/part-of must be "${NAMESPACE}"`);
    if (!labels["app.kubernetes.io/managed-by"]) err(o, "label app.kubernetes.io/managed-by missing");
    if (!["ConfigMap", "Secret"].includes(o.kind) && !labels["app.kubernetes.io/name"]) {
      err(o, "label app.kubernetes.io/name missing");
    }
  }
  if (!objects.some((o) => o.kind === "Namespace" && o.metadata.name === NAMESPACE)) {
    errors.push(`Namespace/${NAMESPACE}: not in the rendered output`);
  }

  // keys of a ConfigMap / Secret, or null when it does not exist
  const keysOf = (kind, name) => {
    const o = find(kind, name);
    if (!o) return null;
    return new Set([...Object.keys(o.data ?? {}), ...Object.keys(o.binaryData ?? {}), ...Object.keys(o.stringData ?? {})]);
  };
  const checkRef = (w, what, kind, name, key, optional) => {
    if (optional) return;
    const keys = keysOf(kind, name);
    if (!keys) err(w, `${what} refers to ${kind} "${name}", which is not in the output`);
    else if (key !== undefined && !keys.has(key)) err(w, `${what} refers to key "${key}" of ${kind} "${name}", which it does not have`);
  };

  // workloads
  for (const w of workloads) {
    const spec = podSpec(w);
    const tl = podLabels(w);
    if (w.kind !== "Job" && !subset(w.spec?.selector?.matchLabels, tl)) {
      err(w, "spec.selector.matchLabels must be non-empty and match the pod template labels");
    }
    if (!tl["app.kubernetes.io/name"]) err(w, "pod template label app.kubernetes.io/name missing");
    if (spec.serviceAccountName && !find("ServiceAccount", spec.serviceAccountName)) {
      err(w, `serviceAccountName "${spec.serviceAccountName}" is not in the output`);
    }
    const volumes = new Map((spec.volumes ?? []).map((v) => [v.name, v]));
    for (const t of w.spec?.volumeClaimTemplates ?? []) volumes.set(t.metadata?.name, { pvc: true });
    for (const v of spec.volumes ?? []) {
      if (v.configMap) checkRef(w, `volume "${v.name}"`, "ConfigMap", v.configMap.name, undefined, v.configMap.optional);
      if (v.secret) checkRef(w, `volume "${v.name}"`, "Secret", v.secret.secretName, undefined, v.secret.optional);
    }
    const podNonRoot = spec.securityContext?.runAsNonRoot === true;
    for (const c of containersOf(w)) {
      const cw = `container "${c.name}"`;
      for (const kind of ["requests", "limits"]) {
        for (const r of ["cpu", "memory"]) {
          if (c.resources?.[kind]?.[r] === undefined) err(w, `${cw}: resources.${kind}.${r} missing`);
        }
      }
      const sc = c.securityContext ?? {};
      if (!podNonRoot && sc.runAsNonRoot !== true) err(w, `${cw}: runAsNonRoot must be true (pod or container securityContext)`);
      if (sc.runAsUser === 0 || spec.securityContext?.runAsUser === 0) err(w, `${cw}: runs as uid 0`);
      if (sc.allowPrivilegeEscalation !== false) err(w, `${cw}: securityContext.allowPrivilegeEscalation must be false`);
      if (sc.privileged === true) err(w, `${cw}: privileged`);
      if (!(sc.capabilities?.drop ?? []).includes("ALL")) err(w, `${cw}: securityContext.capabilities.drop must include ALL`);
      const isInit = (spec.initContainers ?? []).includes(c);
      if (!isInit) {
        if (!c.livenessProbe) err(w, `${cw}: livenessProbe missing`);
        if (!c.readinessProbe) err(w, `${cw}: readinessProbe missing`);
      }
      const portNames = new Set((c.ports ?? []).map((p) => p.name).filter(Boolean));
      for (const pn of ["startupProbe", "livenessProbe", "readinessProbe"]) {
        const port = c[pn]?.httpGet?.port ?? c[pn]?.tcpSocket?.port ?? c[pn]?.grpc?.port;
        if (typeof port === "string" && !portNames.has(port)) err(w, `${cw}: ${pn} uses port name "${port}", which the container does not declare`);
      }
      for (const m of c.volumeMounts ?? []) {
        if (!volumes.has(m.name)) err(w, `${cw}: volumeMount "${m.name}" has no volume`);
      }
      for (const ef of c.envFrom ?? []) {
        if (ef.configMapRef) checkRef(w, `${cw} envFrom`, "ConfigMap", ef.configMapRef.name, undefined, ef.configMapRef.optional);
        if (ef.secretRef) checkRef(w, `${cw} envFrom`, "Secret", ef.secretRef.name, undefined, ef.secretRef.optional);
      }
      for (const e of c.env ?? []) {
        const cm = e.valueFrom?.configMapKeyRef;
        const sk = e.valueFrom?.secretKeyRef;
        if (cm) checkRef(w, `${cw} env ${e.name}`, "ConfigMap", cm.name, cm.key, cm.optional);
        if (sk) checkRef(w, `${cw} env ${e.name}`, "Secret", sk.name, sk.key, sk.optional);
      }
    }
  }

  // the deployed hosts
  const hostDeployments = new Map();
  for (const d of byKind("Deployment")) {
    for (const c of podSpec(d).containers ?? []) {
      const name = imageBaseName(c.image);
      if (HOSTS[name]) hostDeployments.set(name, { d, c });
    }
  }
  for (const [name, host] of Object.entries(HOSTS)) {
    const hit = hostDeployments.get(name);
    if (!hit && host.optional) continue;   // deployed only in some renderings (contract.mjs)
    if (!hit) {
      errors.push(`Deployment/${name}: no Deployment runs the image of ${host.csproj} (image name "${name}")`);
      continue;
    }
    const { d, c } = hit;
    const cw = `container "${c.name}"`;
    const portNumber = (p) => (typeof p === "number" ? p : (c.ports ?? []).find((x) => x.name === p)?.containerPort);
    const probeOk = (probe, path) =>
      probe?.httpGet?.path === path && portNumber(probe.httpGet.port) === MANAGEMENT_PORT;
    if (!probeOk(c.livenessProbe, LIVENESS_PATH)) err(d, `${cw}: livenessProbe must be httpGet ${LIVENESS_PATH} on port ${MANAGEMENT_PORT}`);
    if (!probeOk(c.readinessProbe, READINESS_PATH)) err(d, `${cw}: readinessProbe must be httpGet ${READINESS_PATH} on port ${MANAGEMENT_PORT}`);
    if (c.startupProbe && !probeOk(c.startupProbe, LIVENESS_PATH)) err(d, `${cw}: startupProbe must be httpGet ${LIVENESS_PATH} on port ${MANAGEMENT_PORT}`);
    for (const [pname, pnum] of Object.entries(host.ports)) {
      if (!(c.ports ?? []).some((p) => p.containerPort === pnum)) err(d, `${cw}: containerPort ${pnum} (${pname}) missing`);
    }
    if (c.securityContext?.readOnlyRootFilesystem !== true) err(d, `${cw}: securityContext.readOnlyRootFilesystem must be true`);
    const tmp = (c.volumeMounts ?? []).find((m) => m.mountPath === "/tmp");
    const tmpVol = tmp && (podSpec(d).volumes ?? []).find((v) => v.name === tmp.name);
    if (!tmpVol?.emptyDir) err(d, `${cw}: /tmp must be mounted from an emptyDir volume`);
    const envNames = new Set((c.env ?? []).map((e) => e.name));
    for (const ef of c.envFrom ?? []) {
      const keys = ef.configMapRef ? keysOf("ConfigMap", ef.configMapRef.name) : ef.secretRef ? keysOf("Secret", ef.secretRef.name) : null;
      for (const k of keys ?? []) envNames.add((ef.prefix ?? "") + k);
    }
    for (const need of host.env) if (!envNames.has(need)) err(d, `${cw}: setting ${need} is not provided (env or envFrom)`);
    const hpa = byKind("HorizontalPodAutoscaler").some((h) => h.spec?.scaleTargetRef?.name === d.metadata.name);
    if (!hpa && !(d.spec?.replicas >= 1)) err(d, "spec.replicas must be set (or an HPA must target it)");
  }

  // Services select pods and name their ports
  for (const s of byKind("Service")) {
    const sel = s.spec?.selector;
    if (!sel || Object.keys(sel).length === 0) {
      if (s.spec?.type !== "ExternalName") err(s, "has no selector");
      continue;
    }
    const targets = workloads.filter((w) => subset(sel, podLabels(w)));
    if (targets.length === 0) {
      err(s, `selector ${JSON.stringify(sel)} matches no pod template`);
      continue;
    }
    const cports = targets.flatMap((w) => containersOf(w).flatMap((c) => c.ports ?? []));
    for (const p of s.spec.ports ?? []) {
      const tp = p.targetPort ?? p.port;
      const ok = typeof tp === "string" ? cports.some((c) => c.name === tp) : cports.some((c) => c.containerPort === tp);
      if (!ok) err(s, `port "${p.name ?? p.port}" targets ${JSON.stringify(tp)}, which no selected container declares`);
    }
  }
  for (const st of byKind("StatefulSet")) {
    if (!find("Service", st.spec?.serviceName)) err(st, `serviceName "${st.spec?.serviceName}" is not a Service in the output`);
  }

  // Ingress backends
  for (const ing of byKind("Ingress")) {
    const backends = [];
    if (ing.spec?.defaultBackend?.service) backends.push(ing.spec.defaultBackend.service);
    for (const r of ing.spec?.rules ?? []) for (const p of r.http?.paths ?? []) if (p.backend?.service) backends.push(p.backend.service);
    if (backends.length === 0) err(ing, "has no service backend");
    for (const b of backends) {
      const svc = find("Service", b.name);
      if (!svc) { err(ing, `backend Service "${b.name}" is not in the output`); continue; }
      const ok = (svc.spec?.ports ?? []).some((p) => (b.port?.name !== undefined ? p.name === b.port.name : p.port === b.port?.number));
      if (!ok) err(ing, `backend port ${JSON.stringify(b.port)} is not a port of Service "${b.name}"`);
    }
  }

  // HPA and PDB
  for (const h of byKind("HorizontalPodAutoscaler")) {
    const ref = h.spec?.scaleTargetRef ?? {};
    const target = find(ref.kind, ref.name);
    if (!target) { err(h, `scaleTargetRef ${ref.kind}/${ref.name} is not in the output`); continue; }
    if (target.spec?.replicas !== undefined) err(h, `its target ${ref.kind}/${ref.name} sets spec.replicas: every apply would fight the autoscaler`);
    if (!(h.spec?.minReplicas >= 1) || !(h.spec?.maxReplicas >= h.spec?.minReplicas)) err(h, "needs 1 <= minReplicas <= maxReplicas");
    for (const c of containersOf(target)) {
      if (c.resources?.requests?.cpu === undefined) err(h, `target container "${c.name}" has no cpu request: CPU utilisation cannot be computed`);
    }
  }
  for (const p of byKind("PodDisruptionBudget")) {
    if (!workloads.some((w) => subset(p.spec?.selector?.matchLabels, podLabels(w)))) err(p, "selector matches no pod template");
  }
}

// ---------------------------------------------------------------- network policies
// Label selector semantics of Kubernetes: matchLabels and matchExpressions, all must hold; {} matches all.
function selectorMatches(sel, labels) {
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const ok = {
      In: has && (e.values ?? []).includes(labels[e.key]),
      NotIn: !has || !(e.values ?? []).includes(labels[e.key]),
      Exists: has,
      DoesNotExist: !has,
    }[e.operator];
    if (!ok) return false;
  }
  return true;
}
const isEmptySelector = (sel) =>
  !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);

function networkPolicies(objects) {
  const policies = objects.filter((o) => o.kind === "NetworkPolicy");
  const workloads = objects.filter((o) => WORKLOADS.has(o.kind));
  const labelsOf = (w) => w.spec?.template?.metadata?.labels ?? {};
  const containerPorts = (w) => (w.spec?.template?.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
  const types = (np) => np.spec?.policyTypes ?? (np.spec?.egress ? ["Ingress", "Egress"] : ["Ingress"]);
  const selecting = (w, type) => policies.filter((np) => types(np).includes(type) && selectorMatches(np.spec?.podSelector, labelsOf(w)));

  const deny = policies.find((np) => isEmptySelector(np.spec?.podSelector) && types(np).includes("Ingress") &&
    types(np).includes("Egress") && !(np.spec?.ingress ?? []).length && !(np.spec?.egress ?? []).length);
  if (!deny) errors.push("NetworkPolicy: none denies all ingress and egress by default (podSelector {}, policyTypes Ingress and Egress, no rules)");

  for (const w of workloads) {
    if (!policies.some((np) => !isEmptySelector(np.spec?.podSelector) && selectorMatches(np.spec.podSelector, labelsOf(w)))) {
      err(w, "no NetworkPolicy selects it (beyond the namespace-wide ones)");
    }
  }

  // A rule without peers or without ports opens a pod to everything; DNS is the one egress with an
  // empty pod selector, and it names its peers and ports like the others.
  for (const np of policies) {
    for (const [dir, key] of [["ingress", "from"], ["egress", "to"]]) {
      for (const [i, r] of (np.spec?.[dir] ?? []).entries()) {
        if (!(r[key] ?? []).length) err(np, `${dir}[${i}] has no "${key}": it admits every peer`);
        if (!(r.ports ?? []).length) err(np, `${dir}[${i}] has no ports: it admits every port`);
      }
    }
  }

  // rule r admits port p (number) of pod template target
  const portOk = (r, port, proto, target) => (r.ports ?? []).some((rp) => (rp.protocol ?? "TCP") === proto &&
    (rp.port === port || (typeof rp.port === "string" && target &&
      containerPorts(target).some((cp) => cp.name === rp.port && cp.containerPort === port))));
  // an in-namespace peer: a podSelector alone
  const podPeer = (peer, labels) => peer.podSelector && !peer.namespaceSelector && !peer.ipBlock && selectorMatches(peer.podSelector, labels);
  const allowed = (from, to, port) => {
    const out = selecting(from, "Egress");
    const inn = selecting(to, "Ingress");
    const egressOk = out.length === 0 || out.some((np) => (np.spec.egress ?? []).some((r) =>
      (r.to ?? []).some((peer) => podPeer(peer, labelsOf(to))) && portOk(r, port, "TCP", to)));
    const ingressOk = inn.length === 0 || inn.some((np) => (np.spec.ingress ?? []).some((r) =>
      (r.from ?? []).some((peer) => podPeer(peer, labelsOf(from))) && portOk(r, port, "TCP", to)));
    return { egressOk, ingressOk };
  };
  const egressPort = (w, port, proto) => selecting(w, "Egress").length === 0 ||
    selecting(w, "Egress").some((np) => (np.spec.egress ?? []).some((r) => portOk(r, port, proto)));
  const byName = (name) => workloads.find((w) => labelsOf(w)["app.kubernetes.io/name"] === name);
  const check = (w, target, port, what) => {
    const { egressOk, ingressOk } = allowed(w, target, port);
    if (!egressOk) err(w, `NetworkPolicy: no egress to ${target.kind}/${target.metadata.name} on port ${port} (${what})`);
    if (!ingressOk) err(target, `NetworkPolicy: does not admit ${w.kind}/${w.metadata.name} on port ${port} (${what})`);
  };

  for (const [name, host] of Object.entries(HOSTS)) {
    const w = byName(name);
    if (!w) continue;
    const env = new Set(host.env);
    // its own ports: someone must be let in on each
    for (const [pname, port] of Object.entries(host.ports)) {
      const admits = selecting(w, "Ingress").length === 0 || selecting(w, "Ingress").some((np) =>
        (np.spec.ingress ?? []).some((r) => portOk(r, port, "TCP", w)));
      if (!admits) err(w, `NetworkPolicy: nothing may reach its ${pname} port ${port}`);
    }
    // the hosts it calls
    for (const k of env) {
      const m = /^Services__(.+)$/.exec(k);
      if (!m || m[1].toLowerCase() === name) continue;
      const callee = HOSTS[m[1].toLowerCase()];
      const target = byName(m[1].toLowerCase());
      if (!callee || !target) continue;
      for (const port of Object.values(callee.ports)) check(w, target, port, k);
    }
    // what it needs outside: DNS, the collector, its database and the broker; in-namespace when
    // the rendering runs them (dev), else at least the port (prod's external services)
    if (!egressPort(w, 53, "UDP")) err(w, "NetworkPolicy: no DNS egress (UDP 53)");
    const needs = [];
    if (env.has("OTEL_EXPORTER_OTLP_ENDPOINT")) needs.push(["jaeger", [4317], "traces"]);
    if ([...env].some((k) => /^ConnectionStrings__.+Db$/.test(k))) needs.push(["postgres", [5432], "database"]);
    if (env.has("ConnectionStrings__RabbitMq")) needs.push(["rabbitmq", [5672, 5671], "broker"]);
    for (const [dep, ports, what] of needs) {
      const target = byName(dep);
      if (target) check(w, target, ports[0], what);
      else if (!ports.some((p) => egressPort(w, p, "TCP"))) err(w, `NetworkPolicy: no egress on port ${ports.join(" or ")} (${what})`);
    }
  }

  // Peers from outside the namespace (Ingress controllers, load balancers): only into the gateway,
  // one port per rule, and the gateway's browser and gRPC ports never by the same peer.
  const outside = (peer) => peer.namespaceSelector || peer.ipBlock;
  const gatewayPeers = new Map();
  for (const np of policies) {
    for (const [i, r] of (np.spec?.ingress ?? []).entries()) {
      const ext = (r.from ?? []).filter(outside);
      if (!ext.length) continue;
      const onlyGateway = !isEmptySelector(np.spec.podSelector) &&
        workloads.filter((w) => selectorMatches(np.spec.podSelector, labelsOf(w))).every((w) => labelsOf(w)["app.kubernetes.io/name"] === "gateway");
      if (!onlyGateway) err(np, `ingress[${i}] admits peers from outside the namespace into pods other than the gateway`);
      if ((r.ports ?? []).length !== 1) err(np, `ingress[${i}] admits peers from outside the namespace on ${(r.ports ?? []).length || "all"} ports, expected one`);
      for (const peer of ext) {
        const key = JSON.stringify(peer);
        const ports = gatewayPeers.get(key) ?? new Set();
        for (const p of r.ports ?? []) ports.add(p.port);
        gatewayPeers.set(key, ports);
      }
    }
  }
  for (const [peer, ports] of gatewayPeers) {
    if (ports.size > 1) errors.push(`NetworkPolicy: the outside peer ${peer} reaches the gateway on ${[...ports].join(" and ")}: the browser and gRPC entries must be separate`);
  }
}

// ---------------------------------------------------------------- main
const text = await readStdin();
const docs = parseAllDocuments(text);
const objects = [];
let schemaFailures = 0;
for (const [i, doc] of docs.entries()) {
  if (doc.errors?.length) {
    errors.push(`document ${i + 1}: YAML: ${doc.errors[0].message}`);
    continue;
  }
  const obj = doc.toJS();
  if (obj === null || obj === undefined) continue;
  const items = obj.kind === "List" && Array.isArray(obj.items) ? obj.items : [obj];
  for (const o of items) {
    if (await validateSchema(o)) objects.push(o);
    else schemaFailures++;
  }
}
if (objects.length === 0 && schemaFailures === 0) errors.push("no Kubernetes object on stdin");
if (!schemaOnly && objects.length > 0) { policy(objects); networkPolicies(objects); }

if (errors.length) {
  console.error(`${source}: ${errors.length} problem(s):`);
  for (const e of errors) console.error(`  ERROR ${e}`);
  process.exit(1);
}
const counts = {};
for (const o of objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
console.log(`${source}: ${objects.length} objects valid${schemaOnly ? " (schema)" : " (schema + policy)"}: ` +
  Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(", "));
