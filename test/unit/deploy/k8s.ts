/**
 * Checks of k8s/: every manifest against the Kubernetes OpenAPI schemas (as compiled by the
 * kubernetes-models package), then what the issue asks of the deployment.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Namespace, Secret, Service } from "kubernetes-models/v1";
import {
  checkServiceCoverage,
  readEnvFile,
  readYaml,
  readYamlDocuments,
  ROOT,
  servicesOf,
  unknownEnv,
  type Env,
  type Obj,
} from "./lib.ts";

export const K8S_DIR = "k8s";

/** Each model takes its own kind's shape; an unchecked document goes in, validate() checks it. */
type Model = new (data: never) => { validate(): void };

const MODELS: Record<string, Model> = {
  "v1/Namespace": Namespace,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "apps/v1/Deployment": Deployment,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
};

export interface Manifest {
  file: string;
  doc: Obj;
}

export function manifestFiles(): string[] {
  return readdirSync(join(ROOT, K8S_DIR))
    .filter((f) => /\.ya?ml$/.test(f) && f !== "kustomization.yaml")
    .sort()
    .map((f) => `${K8S_DIR}/${f}`);
}

export function loadManifests(): Manifest[] {
  return manifestFiles().flatMap((file) => readYamlDocuments(file).map((doc) => ({ file, doc })));
}

export function loadKustomization(): Obj {
  return readYaml(`${K8S_DIR}/kustomization.yaml`);
}

/** Schema errors of one manifest (unknown apiVersion/kind counts as an error). */
export function schemaErrors(doc: Obj): string[] {
  const model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  const name = `${doc.kind ?? "?"} ${doc.metadata?.name ?? "?"}`;
  if (!model) return [`${name}: no schema for apiVersion ${doc.apiVersion}, kind ${doc.kind}`];
  try {
    new model(doc as never).validate();
    return [];
  } catch (err) {
    return [`${name}: ${(err as Error).message}`];
  }
}

/** The Secret that kustomize's secretGenerator makes, from the committed example file. */
export function exampleSecretEnv(kustomization: Obj): Env {
  const env: Env = {};
  for (const generator of kustomization.secretGenerator ?? []) {
    for (const file of generator.envs ?? []) {
      Object.assign(env, readEnvFile(`${K8S_DIR}/${file}.example`));
    }
  }
  return env;
}

function byKind(manifests: Manifest[], kind: string): Obj[] {
  return manifests.filter((m) => m.doc.kind === kind).map((m) => m.doc);
}

function matches(selector: Record<string, string> | undefined, labels: Record<string, string>) {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** The environment a container starts with: ConfigMap and Secret (envFrom), then env. */
export function containerEnv(container: Obj, configMaps: Obj[], secretEnv: Env): Env {
  const env: Env = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      const cm = configMaps.find((c) => c.metadata.name === source.configMapRef.name);
      Object.assign(env, cm?.data ?? {});
    }
    if (source.secretRef) Object.assign(env, secretEnv);
  }
  for (const e of container.env ?? [])
    env[e.name] = e.value ?? `<${Object.keys(e.valueFrom ?? {})[0]}>`;
  return env;
}

/** Every problem of one Deployment's pod template; empty when all is well. */
export function checkDeployment(deployment: Obj, env: Env): string[] {
  const problems: string[] = [];
  const name = `Deployment ${deployment.metadata?.name}`;
  const pod = deployment.spec?.template?.spec ?? {};
  const labels = deployment.spec?.template?.metadata?.labels ?? {};
  if (!matches(deployment.spec?.selector?.matchLabels, labels)) {
    problems.push(`${name}: selector does not match the pod labels`);
  }
  const podSecurity = pod.securityContext ?? {};
  if (podSecurity.runAsNonRoot !== true) problems.push(`${name}: runAsNonRoot is not true`);
  if (podSecurity.runAsUser === 0) problems.push(`${name}: runs as uid 0`);
  if (podSecurity.seccompProfile?.type !== "RuntimeDefault") {
    problems.push(`${name}: seccompProfile is not RuntimeDefault`);
  }
  if ((pod.terminationGracePeriodSeconds ?? 30) < 15) {
    problems.push(`${name}: terminationGracePeriodSeconds leaves no time to drain`);
  }
  const containers: Obj[] = pod.containers ?? [];
  if (containers.length === 0) problems.push(`${name}: no container`);
  const hosted = servicesOf(env.SERVICES);
  for (const c of containers) {
    const where = `${name}/${c.name}`;
    const sc = c.securityContext ?? {};
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${where}: root filesystem is writable`);
    if (sc.allowPrivilegeEscalation !== false)
      problems.push(`${where}: privilege escalation allowed`);
    if (sc.privileged === true) problems.push(`${where}: privileged`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL"))
      problems.push(`${where}: capabilities not dropped`);
    for (const kind of ["requests", "limits"]) {
      for (const resource of ["cpu", "memory"]) {
        if (c.resources?.[kind]?.[resource] === undefined) {
          problems.push(`${where}: no ${resource} ${kind.slice(0, -1)}`);
        }
      }
    }
    if (!c.readinessProbe) problems.push(`${where}: no readinessProbe`);
    if (!c.livenessProbe) problems.push(`${where}: no livenessProbe`);
    if (hosted.includes("api")) {
      const port = Number(env.PORT ?? 3000);
      const httpPort = (probe: Obj | undefined) => {
        const p = probe?.httpGet?.port;
        return typeof p === "number" ? p : c.ports?.find((x: Obj) => x.name === p)?.containerPort;
      };
      if (c.readinessProbe?.httpGet?.path !== "/api/ready") {
        problems.push(`${where}: readinessProbe is not GET /api/ready`);
      }
      if (c.livenessProbe?.httpGet?.path !== "/api/health") {
        problems.push(`${where}: livenessProbe is not GET /api/health`);
      }
      for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) {
        if (probe?.httpGet && httpPort(probe) !== port) {
          problems.push(
            `${where}: a probe targets port ${httpPort(probe)}, the gateway listens on ${port}`,
          );
        }
      }
      if (env.HOST !== "0.0.0.0") problems.push(`${where}: HOST is not 0.0.0.0`);
    } else {
      // The node's own health endpoint (HEALTH_PORT), asked by the kubelet: no process per probe.
      const healthPort = Number(env.HEALTH_PORT);
      if (!Number.isInteger(healthPort)) problems.push(`${where}: HEALTH_PORT is not set`);
      const named = (p: unknown) =>
        typeof p === "number" ? p : c.ports?.find((x: Obj) => x.name === p)?.containerPort;
      const wants: Array<[string, Obj | undefined, string]> = [
        ["readinessProbe", c.readinessProbe, "/ready"],
        ["livenessProbe", c.livenessProbe, "/live"],
        ["startupProbe", c.startupProbe, "/ready"],
      ];
      for (const [kind, probe, path] of wants) {
        if (!probe) continue;
        if (probe.exec) problems.push(`${where}: ${kind} starts a process (use httpGet)`);
        else if (probe.httpGet?.path !== path)
          problems.push(`${where}: ${kind} is not GET ${path}`);
        else if (named(probe.httpGet.port) !== healthPort) {
          problems.push(`${where}: ${kind} targets a port other than HEALTH_PORT`);
        }
      }
    }
    const mounts: Obj[] = c.volumeMounts ?? [];
    if (sc.readOnlyRootFilesystem === true && !mounts.some((m) => m.mountPath === "/tmp")) {
      problems.push(`${where}: read-only root filesystem without a writable /tmp`);
    }
  }
  return problems;
}

/** Every problem of the k8s/ directory as a whole; empty when all is well. */
export function checkK8s(manifests: Manifest[], kustomization: Obj): string[] {
  const problems: string[] = [];
  const namespace = kustomization.namespace;

  // kustomization: lists every manifest, and only existing ones.
  const resources: string[] = kustomization.resources ?? [];
  for (const file of new Set(manifests.map((m) => m.file))) {
    if (!resources.includes(file.slice(K8S_DIR.length + 1))) {
      problems.push(`kustomization.yaml does not list ${file}`);
    }
  }
  for (const r of resources) {
    if (!existsSync(join(ROOT, K8S_DIR, r))) problems.push(`kustomization.yaml lists missing ${r}`);
  }
  for (const generator of kustomization.secretGenerator ?? []) {
    for (const file of generator.envs ?? []) {
      if (!existsSync(join(ROOT, K8S_DIR, `${file}.example`))) {
        problems.push(`secretGenerator ${generator.name}: ${file}.example is missing`);
      }
    }
  }
  if (!byKind(manifests, "Namespace").some((n) => n.metadata.name === namespace)) {
    problems.push(`no Namespace ${namespace}`);
  }
  for (const { file, doc } of manifests) {
    if (doc.kind !== "Namespace" && doc.metadata?.namespace !== namespace) {
      problems.push(`${file}: ${doc.kind} ${doc.metadata?.name} is not in namespace ${namespace}`);
    }
  }

  const configMaps = byKind(manifests, "ConfigMap");
  const secretEnv = exampleSecretEnv(kustomization);
  const secretNames = new Set<string>(
    (kustomization.secretGenerator ?? []).map((g: Obj) => g.name),
  );
  const imageNames = new Set<string>((kustomization.images ?? []).map((i: Obj) => i.name));
  const services = byKind(manifests, "Service");
  const hpas = byKind(manifests, "HorizontalPodAutoscaler");
  const pdbs = byKind(manifests, "PodDisruptionBudget");
  const policies = byKind(manifests, "NetworkPolicy");
  const deployed = new Map<string, string[]>();

  for (const deployment of byKind(manifests, "Deployment")) {
    const name = deployment.metadata.name;
    const labels = deployment.spec?.template?.metadata?.labels ?? {};
    for (const c of deployment.spec?.template?.spec?.containers ?? []) {
      for (const source of c.envFrom ?? []) {
        const ref = source.configMapRef?.name;
        if (ref && !configMaps.some((cm) => cm.metadata.name === ref)) {
          problems.push(`Deployment ${name}: ConfigMap ${ref} does not exist`);
        }
        if (source.secretRef && !secretNames.has(source.secretRef.name)) {
          problems.push(`Deployment ${name}: Secret ${source.secretRef.name} is not generated`);
        }
      }
      if (!imageNames.has(String(c.image).split(":")[0])) {
        problems.push(`Deployment ${name}: image ${c.image} is not in kustomization images`);
      }
      const env = containerEnv(c, configMaps, secretEnv);
      for (const unknown of unknownEnv(Object.keys(env))) {
        problems.push(`Deployment ${name}: sets ${unknown}, which the app does not read`);
      }
      if ((c.env ?? []).every((e: Obj) => e.name !== "SERVICES")) {
        problems.push(`Deployment ${name}: SERVICES is not set (it would host everything)`);
      }
      deployed.set(name, servicesOf(env.SERVICES));
      problems.push(...checkDeployment(deployment, env));
      problems.push(...checkEgress(name, labels, env, policies));
    }
    if (!services.some((s) => matches(s.spec?.selector, labels))) {
      problems.push(`Deployment ${name}: no Service selects its pods`);
    }
    const hpa = hpas.find(
      (h) => h.spec?.scaleTargetRef?.kind === "Deployment" && h.spec.scaleTargetRef.name === name,
    );
    if (!hpa) problems.push(`Deployment ${name}: no HorizontalPodAutoscaler`);
    else if ((hpa.spec.minReplicas ?? 1) < 2) problems.push(`HPA ${name}: minReplicas below 2`);
    if (!pdbs.some((p) => matches(p.spec?.selector?.matchLabels, labels))) {
      problems.push(`Deployment ${name}: no PodDisruptionBudget`);
    }
    const selected = policies.filter((p) => matches(p.spec?.podSelector?.matchLabels, labels));
    if (!selected.some((p) => (p.spec.policyTypes ?? []).includes("Ingress"))) {
      problems.push(`Deployment ${name}: no NetworkPolicy restricts its ingress`);
    }
  }

  // Every service of the app runs somewhere; the gateway is reachable through its Service.
  problems.push(...checkServiceCoverage(deployed, "k8s"));
  const gatewayDeployments = byKind(manifests, "Deployment").filter((d) =>
    (deployed.get(d.metadata.name) ?? []).includes("api"),
  );
  if (gatewayDeployments.length === 0) problems.push("no Deployment hosts the gateway (api)");
  for (const d of gatewayDeployments) {
    const labels = d.spec.template.metadata.labels;
    const service = services.find(
      (s) => matches(s.spec?.selector, labels) && s.spec?.clusterIP !== "None",
    );
    if (!service) problems.push(`Deployment ${d.metadata.name}: no Service sends it traffic`);
    const ingressPorts = policies
      .filter((p) => matches(p.spec?.podSelector?.matchLabels, labels))
      .flatMap((p) => p.spec.ingress ?? [])
      .flatMap((rule: Obj) => rule.ports ?? []);
    const port = Number(configMaps[0]?.data?.PORT ?? 3000);
    if (!ingressPorts.some((p: Obj) => p.port === port || p.port === "http")) {
      problems.push(
        `Deployment ${d.metadata.name}: no NetworkPolicy lets traffic reach port ${port}`,
      );
    }
  }
  return problems;
}

const DEFAULT_PORTS: Record<string, number> = {
  "nats:": 4222,
  "mysql:": 3306,
  "mariadb:": 3306,
  "redis:": 6379,
  "rediss:": 6379,
  "etcd3:": 2379,
  "http:": 80,
  "https:": 443,
};

/** When a NetworkPolicy limits a pod's egress, it must let it reach every dependency URL. */
function checkEgress(name: string, labels: Obj, env: Env, policies: Obj[]): string[] {
  const egress = policies.filter(
    (p) =>
      matches(p.spec?.podSelector?.matchLabels, labels) &&
      (p.spec.policyTypes ?? []).includes("Egress"),
  );
  if (egress.length === 0) return [];
  const rules: Obj[] = egress.flatMap((p) => p.spec.egress ?? []);
  const problems: string[] = [];
  for (const key of [
    "TRANSPORTER",
    "DATABASE_URL",
    "REDIS_URL",
    "DISCOVERER",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
  ]) {
    if (!env[key]) continue;
    const url = new URL(env[key]);
    const port = Number(url.port || DEFAULT_PORTS[url.protocol]);
    const allowed = rules.some(
      (r) =>
        !r.ports || r.ports.some((p: Obj) => p.port === port && (p.protocol ?? "TCP") === "TCP"),
    );
    if (!allowed) problems.push(`Deployment ${name}: egress to ${key} (port ${port}) is blocked`);
  }
  const dns = rules.some(
    (r) => !r.ports || r.ports.some((p: Obj) => p.port === 53 && p.protocol === "UDP"),
  );
  if (!dns) problems.push(`Deployment ${name}: egress to DNS (53/UDP) is blocked`);
  return problems;
}
