/**
 * Offline validation of k8s/: each manifest against the Kubernetes API schemas
 * (kubernetes-models), then probes, resources, security, autoscaling, disruption budgets, network
 * policies, the kustomization, and the configuration the pods would start with.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfig } from "../../lib/config.ts";
import {
  checkDeployment,
  checkK8s,
  containerEnv,
  exampleSecretEnv,
  loadKustomization,
  loadManifests,
  manifestFiles,
  schemaErrors,
  type Manifest,
} from "./deploy/k8s.ts";
import { presentNow, readText, servicesOf, type Obj } from "./deploy/lib.ts";

const manifests = loadManifests();
const kustomization = loadKustomization();
const clone = <T>(value: T): T => structuredClone(value);
const deployments = manifests.filter((m) => m.doc.kind === "Deployment");
const configMaps = manifests.filter((m) => m.doc.kind === "ConfigMap").map((m) => m.doc);
const gateway = deployments.find((m) =>
  servicesOf(
    containerEnv(m.doc.spec.template.spec.containers[0], configMaps, {}).SERVICES,
  ).includes("api"),
) as Manifest;

describe("Kubernetes manifests: schemas", () => {
  for (const file of manifestFiles()) {
    it(`${file} is valid against the Kubernetes API schema`, () => {
      const docs = manifests.filter((m) => m.file === file);
      assert.ok(docs.length > 0, `${file} holds no manifest`);
      assert.deepEqual(
        docs.flatMap((m) => schemaErrors(m.doc)),
        [],
      );
    });
  }

  it("the schema check catches wrong types, a missing field and an unknown kind", () => {
    const broken = clone(gateway.doc);
    broken.spec.template.spec.containers[0].ports[0].containerPort = "3000";
    delete broken.spec.selector;
    const errors = schemaErrors(broken);
    assert.equal(errors.length, 1);
    assert.match(errors[0], /containerPort must be integer/);
    assert.match(errors[0], /spec must have required property selector/);
    assert.match(schemaErrors({ apiVersion: "apps/v1beta1", kind: "Deployment" })[0], /no schema/);
  });

  it("the kustomization is a Kustomization", () => {
    assert.equal(kustomization.apiVersion, "kustomize.config.k8s.io/v1beta1");
    assert.equal(kustomization.kind, "Kustomization");
  });
});

describe("Kubernetes manifests: the deployment", () => {
  it("deploys every service with probes, resources, a non-root read-only security context, an HPA, a PDB and network policies", () => {
    assert.deepEqual(checkK8s(manifests, kustomization), []);
  });

  it("catches a gateway without its readiness probe", () => {
    const broken = clone(gateway.doc);
    delete broken.spec.template.spec.containers[0].readinessProbe;
    const env = containerEnv(broken.spec.template.spec.containers[0], configMaps, {});
    assert.deepEqual(checkDeployment(broken, env), [
      `Deployment ${broken.metadata.name}/node: no readinessProbe`,
      `Deployment ${broken.metadata.name}/node: readinessProbe is not GET /api/ready`,
    ]);
  });

  it("catches a service node probed by a process or on another port than HEALTH_PORT", () => {
    const node = deployments.find((d) => d.doc.metadata.name === "products")!;
    const broken = clone(node.doc);
    const container = broken.spec.template.spec.containers[0];
    container.livenessProbe = { exec: { command: ["node", "deploy/healthcheck.ts", "live"] } };
    container.readinessProbe.httpGet.port = 3000;
    const env = containerEnv(container, configMaps, {});
    assert.deepEqual(checkDeployment(broken, env), [
      "Deployment products/node: readinessProbe targets a port other than HEALTH_PORT",
      "Deployment products/node: livenessProbe starts a process (use httpGet)",
    ]);
  });

  it("catches a writable root filesystem, a missing limit and a root user", () => {
    const broken = clone(deployments[deployments.length - 1].doc);
    const pod = broken.spec.template.spec;
    pod.securityContext.runAsNonRoot = false;
    pod.containers[0].securityContext.readOnlyRootFilesystem = false;
    delete pod.containers[0].resources.limits.memory;
    const env = containerEnv(pod.containers[0], configMaps, {});
    const problems = checkDeployment(broken, env);
    assert.equal(problems.length, 3, problems.join("\n"));
  });

  it("catches an unknown variable, a missing HPA and a service deployed nowhere", () => {
    const withoutUsers = manifests
      .filter(
        (m) =>
          m.doc.kind !== "HorizontalPodAutoscaler" ||
          m.doc.metadata.name !== gateway.doc.metadata.name,
      )
      .filter((m) => {
        const env = m.doc.spec?.template?.spec?.containers?.[0]?.env ?? [];
        return !env.some((e: Obj) => e.name === "SERVICES" && e.value === "users,access");
      })
      .map((m) => (m.doc.kind === "ConfigMap" ? { ...m, doc: clone(m.doc) } : m));
    const cm = withoutUsers.find((m) => m.doc.kind === "ConfigMap") as Manifest;
    cm.doc.data.LOGLEVEL = "debug";
    const problems = checkK8s(withoutUsers, kustomization);
    const name = gateway.doc.metadata.name;
    assert.ok(problems.includes(`Deployment ${name}: sets LOGLEVEL, which the app does not read`));
    assert.ok(problems.includes(`Deployment ${name}: no HorizontalPodAutoscaler`));
    assert.ok(problems.includes('k8s: service "users" is deployed nowhere'));
  });

  it("catches egress that cannot reach a dependency", () => {
    const broken = manifests.map((m) =>
      m.doc.kind === "NetworkPolicy" ? { ...m, doc: clone(m.doc) } : m,
    );
    for (const m of broken.filter((x) => x.doc.kind === "NetworkPolicy")) {
      for (const rule of m.doc.spec.egress ?? []) {
        rule.ports = rule.ports.filter((p: Obj) => p.port !== 4222);
      }
    }
    const problems = checkK8s(broken, kustomization);
    assert.ok(problems.some((p) => /egress to TRANSPORTER \(port 4222\) is blocked/.test(p)));
  });
});

describe("Kubernetes manifests: configuration", () => {
  const secretEnv = exampleSecretEnv(kustomization);

  it("the committed secret placeholders are refused at start (no cluster runs on them)", () => {
    const env = containerEnv(gateway.doc.spec.template.spec.containers[0], configMaps, secretEnv);
    assert.throws(() => loadConfig(env), /JWT_SECRET must be at least 32 characters/);
  });

  for (const { doc } of deployments) {
    const container = doc.spec.template.spec.containers[0];
    const services = servicesOf(containerEnv(container, configMaps, secretEnv).SERVICES);
    it(
      `Deployment ${doc.metadata.name} (SERVICES=${services.join(",")}) starts with real secrets`,
      { skip: presentNow(services) ? false : `${services.join(",")} not in this checkout yet` },
      () => {
        const env = {
          ...containerEnv(container, configMaps, secretEnv),
          JWT_SECRET: "a-real-secret-of-at-least-32-characters!",
          NODE_ID: `${doc.metadata.name}-7d9f8b6c5-x2x4z`,
        };
        const config = loadConfig(env);
        assert.equal(config.nodeEnv, "production");
        assert.equal(config.host, "0.0.0.0");
        assert.equal(config.databaseDialect, "mysql");
        assert.deepEqual(config.services, services);
        assert.ok(config.transporter);
      },
    );
  }

  it("the real secrets file is git-ignored", () => {
    const ignored = readText("k8s/.gitignore").split("\n");
    for (const generator of kustomization.secretGenerator ?? []) {
      for (const file of generator.envs) assert.ok(ignored.includes(file), file);
    }
  });
});
