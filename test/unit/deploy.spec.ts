/**
 * Offline validation of the deployment files: the Dockerfile, docker-compose.yml, its env files,
 * and the Prometheus/Grafana provisioning. No container engine is needed. Kubernetes manifests:
 * deploy-k8s.spec.ts; the container health check: deploy-healthcheck.spec.ts.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { parser as promql } from "@prometheus-io/lezer-promql";
import { loadConfig } from "../../lib/config.ts";
import { ALL_SERVICES } from "../../lib/services.ts";
import {
  checkCompose,
  composeSchemaErrors,
  COMPOSE_FILE,
  hostOf,
  interpolate,
  lintCompose,
  nodeEnv,
  shopNodes,
} from "./deploy/compose.ts";
import { checkDockerfile } from "./deploy/docker.ts";
import {
  presentNow,
  readEnvFile,
  readText,
  readYaml,
  ROOT,
  servicesOf,
  unknownEnv,
  type Obj,
} from "./deploy/lib.ts";

const clone = <T>(value: T): T => structuredClone(value);

describe("Dockerfile", () => {
  const dockerfile = readText("Dockerfile");
  const ignore = readText(".dockerignore");

  it("passes the Dockerfile linter and every rule of the image", () => {
    assert.deepEqual(checkDockerfile(dockerfile, ignore), []);
  });

  it("catches a runtime stage without a health check that runs as root", () => {
    const broken = dockerfile
      .replace(/^HEALTHCHECK[^\n]*\\\n[^\n]*\n/m, "")
      .replace(/^USER [^\n]*\n/m, "");
    const problems = checkDockerfile(broken, ignore);
    assert.ok(problems.includes("HEALTHCHECK CMD is missing"), problems.join("\n"));
    assert.ok(problems.includes("the runtime stage runs as root (no USER)"), problems.join("\n"));
  });

  it("catches source files left out of the image, and a syntax error", () => {
    const broken = dockerfile
      .replace(/^COPY services [^\n]*\n/m, "")
      .replace(/^EXPOSE/m, "EXPOSES");
    const problems = checkDockerfile(broken, ignore);
    assert.ok(
      problems.some((p) => /^services\/\S+ is not copied into the runtime image$/.test(p)),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((p) => /Unknown instruction: EXPOSES/.test(p)),
      problems.join("\n"),
    );
  });

  it("catches what needs more than the npm registry and Debian's mirror to build", () => {
    const broken = ("# syntax=docker/dockerfile:1\n" + dockerfile).replace(
      /npm_config_nodedir=\S+/,
      "npm_config_foo=1",
    );
    const problems = checkDockerfile(broken, ignore);
    assert.ok(
      problems.some((p) => /# syntax=/.test(p)),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((p) => /npm_config_nodedir/.test(p)),
      problems.join("\n"),
    );
  });

  it("catches build tools or dev dependencies in the runtime image", () => {
    const broken = dockerfile
      .replace("npm ci --omit=dev", "npm ci")
      .replace(/^USER /m, "RUN apt-get install -y g++\nUSER ");
    const problems = checkDockerfile(broken, ignore);
    assert.ok(
      problems.some((p) => /npm ci --omit=dev/.test(p)),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((p) => /runtime stage installs packages/.test(p)),
      problems.join("\n"),
    );
  });
});

describe("docker-compose.yml", () => {
  const compose = readYaml(COMPOSE_FILE);

  it("is valid against the Compose Specification schema", () => {
    assert.deepEqual(composeSchemaErrors(compose), []);
  });

  it("passes dclint (pinned image tags, ports bound to 127.0.0.1, no duplicates)", () => {
    assert.deepEqual(lintCompose(COMPOSE_FILE), []);
  });

  it("runs the shop without the observability profile (Jaeger, Prometheus, Grafana)", () => {
    const profiled = (name: string) => (compose.services[name].profiles ?? []).length > 0;
    for (const tool of ["jaeger", "prometheus", "grafana"]) {
      assert.deepEqual(compose.services[tool].profiles, ["observability"], tool);
    }
    for (const [name, service] of Object.entries<Obj>(compose.services)) {
      if (profiled(name)) continue;
      const deps = Object.keys(service.depends_on ?? {});
      assert.deepEqual(
        deps.filter(profiled),
        [],
        `${name} depends on a service that runs only in a profile`,
      );
    }
  });

  it("the schema catches a misspelled key", () => {
    const broken = clone(compose);
    broken.services.redis.healtcheck = broken.services.redis.healthcheck;
    assert.ok(composeSchemaErrors(broken).some((e) => /additional properties/.test(e)));
  });

  it("has the infrastructure, deploys every service, sets only variables the app reads", () => {
    assert.deepEqual(checkCompose(compose), []);
  });

  it("catches an unknown variable, an undeployed service and a node that cannot scale", () => {
    const broken = clone(compose);
    const dropped = ALL_SERVICES.find((s) => s !== "api") ?? "api";
    const hosts = (n: string) => servicesOf(nodeEnv(broken.services[n]).SERVICES);
    const [first, second] = [...shopNodes(broken).keys()].filter(
      (n) => !hosts(n).includes("api") && !hosts(n).includes(dropped),
    );
    broken.services[first].environment.DATABSE_URL = "mysql://x:y@mysql:3306/shop";
    broken.services[second].container_name = "fixed";
    for (const name of shopNodes(broken).keys()) {
      if (hosts(name).includes(dropped)) delete broken.services[name];
    }
    const problems = checkCompose(broken);
    const all = problems.join("\n");
    assert.ok(problems.includes(`${first}: sets DATABSE_URL, which the app does not read`), all);
    assert.ok(problems.includes(`${second}: container_name breaks --scale`), all);
    assert.ok(problems.includes(`compose: service "${dropped}" is deployed nowhere`), all);
  });

  for (const [name, node] of shopNodes(compose)) {
    const env = nodeEnv(node);
    const services = servicesOf(env.SERVICES);
    it(
      `node "${name}" (SERVICES=${services.join(",")}) passes the app's configuration checks`,
      { skip: presentNow(services) ? false : `${services.join(",")} not in this checkout yet` },
      () => {
        const config = loadConfig(env);
        assert.equal(config.nodeEnv, "production");
        assert.equal(config.host, "0.0.0.0");
        assert.equal(config.databaseDialect, "mysql");
        assert.ok(config.transporter && config.redisUrl && config.otelEndpoint);
        assert.deepEqual(config.services, services);
      },
    );
  }

  it("MySQL's credentials are the ones in DATABASE_URL", () => {
    const mysql = Object.entries<Obj>(compose.services).find(([, s]) =>
      /^(mysql|mariadb):/.test(String(s.image)),
    );
    assert.ok(mysql);
    const dbEnv = readEnvFile(mysql[1].env_file[0].path);
    const [, gateway] = [...shopNodes(compose)][0];
    const url = new URL(nodeEnv(gateway).DATABASE_URL);
    assert.equal(url.hostname, mysql[0]);
    assert.equal(decodeURIComponent(url.username), dbEnv.MYSQL_USER);
    assert.equal(decodeURIComponent(url.password), dbEnv.MYSQL_PASSWORD);
    assert.equal(url.pathname.slice(1), dbEnv.MYSQL_DATABASE);
  });

  it("the optional etcd registry line is valid and names the etcd service", () => {
    const text = readText("deploy/compose.env");
    const line = /^#\s*(DISCOVERER=\S+)$/m.exec(text)?.[1] ?? "";
    const discoverer = readEnvFile("deploy/compose.env").DISCOVERER ?? line.split("=")[1];
    assert.ok(discoverer, "compose.env shows how to turn on DISCOVERER");
    assert.ok(compose.services[hostOf(discoverer) ?? ""]?.image.includes("etcd"));
    const env = { ...nodeEnv([...shopNodes(compose).values()][0]), DISCOVERER: discoverer };
    assert.equal(loadConfig(env).discoverer, discoverer);
    if (readEnvFile("deploy/compose.env").DISCOVERER) {
      // Moleculer loads the etcd3 package for this discoverer: it must be a dependency.
      assert.ok(createRequire(join(ROOT, "package.json")).resolve("etcd3"));
    }
  });

  it("env files name only variables their consumers read", () => {
    assert.deepEqual(unknownEnv(Object.keys(readEnvFile("deploy/compose.env"))), []);
  });
});

describe("Prometheus and Grafana provisioning", () => {
  const compose = readYaml(COMPOSE_FILE);
  const services: Record<string, Obj> = compose.services;
  const mounts = (service: string) =>
    (services[service].volumes ?? [])
      .filter((v: unknown) => typeof v === "string" && v.startsWith("./"))
      .map((v: string) => {
        const [source, target] = v.split(":");
        return { source: source.slice(2), target };
      });

  it("mounts files that exist", () => {
    for (const name of Object.keys(services)) {
      for (const { source } of mounts(name)) assert.ok(existsSync(join(ROOT, source)), source);
    }
  });

  it("Prometheus scrapes every shop node on its METRICS_PORT, never the gateway's API port", () => {
    const config = readYaml("deploy/prometheus/prometheus.yml");
    const mounted = mounts("prometheus").find((m: Obj) => m.source.endsWith("prometheus.yml"));
    assert.equal(mounted?.target, "/etc/prometheus/prometheus.yml");
    const nodes = [...shopNodes(compose)].map(([name, node]) => ({
      name,
      env: nodeEnv(node),
    }));
    assert.ok(nodes.some((n) => servicesOf(n.env.SERVICES).includes("api")));
    for (const node of nodes) {
      const port = Number(loadConfig(node.env).metricsPort);
      assert.ok(port > 0, `${node.name} has a METRICS_PORT`);
      const jobs = (config.scrape_configs as Obj[]).filter((j) =>
        (j.dns_sd_configs ?? []).some((sd: Obj) => sd.names.includes(node.name)),
      );
      assert.equal(jobs.length, 1, `one scrape job finds the ${node.name} containers`);
      const ports = jobs[0].dns_sd_configs.map((sd: Obj) => sd.port);
      assert.deepEqual(ports, [port], `${node.name} is scraped on ${port}`);
      assert.equal(jobs[0].metrics_path ?? "/metrics", "/metrics");
    }
  });

  const datasources: Obj[] = readYaml(
    "deploy/grafana/provisioning/datasources/datasources.yml",
  ).datasources;

  it("Grafana's data sources point at compose services", () => {
    assert.ok(datasources.some((d) => d.type === "prometheus" && d.isDefault));
    assert.ok(datasources.some((d) => d.type === "jaeger"));
    for (const d of datasources) {
      const url = new URL(d.url);
      const service = services[url.hostname];
      assert.ok(service, `${d.name}: ${url.hostname} is no compose service`);
      assert.ok(d.uid, `${d.name} has no fixed uid`);
    }
    const grafana = mounts("grafana").find((m: Obj) => m.target === "/etc/grafana/provisioning");
    assert.equal(grafana?.source, "deploy/grafana/provisioning");
  });

  const provider: Obj = readYaml("deploy/grafana/provisioning/dashboards/dashboards.yml")
    .providers[0];
  const dashboardMount = mounts("grafana").find((m: Obj) => m.target === provider.options.path);
  const dashboards = dashboardMount
    ? readdirSync(join(ROOT, dashboardMount.source)).filter((f) => f.endsWith(".json"))
    : [];

  it("the dashboard provider reads a mounted folder of dashboards", () => {
    assert.ok(dashboardMount, `nothing is mounted at ${provider.options.path}`);
    assert.ok(dashboards.length > 0);
    const home = services.grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
    if (home) assert.ok(dashboards.map((d) => `${provider.options.path}/${d}`).includes(home));
  });

  for (const file of dashboards) {
    it(`dashboard ${file}: data sources exist, panel ids are unique, every query is PromQL`, () => {
      const dashboard = JSON.parse(readText(`${dashboardMount?.source}/${file}`));
      assert.deepEqual(dashboardProblems(dashboard, datasources), []);
    });
  }

  it("the dashboard check catches a broken query and an unknown data source", () => {
    const dashboard = JSON.parse(readText(`${dashboardMount?.source}/${dashboards[0]}`));
    dashboard.panels[0].targets[0].expr = "sum(rate(moleculer_request_total[5m])";
    dashboard.panels[1].datasource = { type: "prometheus", uid: "nope" };
    const problems = dashboardProblems(dashboard, datasources);
    assert.equal(problems.length, 2, problems.join("\n"));
  });

  it("compose exposes no tool port on all interfaces", () => {
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports ?? []) {
        assert.match(interpolate(String(port)), /^127\.0\.0\.1:/, `${name}: ${port}`);
      }
    }
  });
});

describe("docs/deployment.md", () => {
  it("covers running a cluster three ways, adding nodes, the components and the REPL", () => {
    const doc = readText("docs/deployment.md");
    for (const needle of [
      /^#+ .*Run a cluster/im,
      /npm start/,
      /docker compose up/,
      /--scale/,
      /kubectl apply -k k8s/,
      /npm run repl/,
      /^#+ .*add(ing)? nodes/im,
    ]) {
      assert.match(doc, needle);
    }
    for (const component of [
      "NATS",
      "JetStream",
      "MySQL",
      "Redis",
      "etcd",
      "Jaeger",
      "Prometheus",
      "Grafana",
    ]) {
      assert.ok(doc.includes(component), `docs/deployment.md does not explain ${component}`);
    }
  });
});

/** Problems of a Grafana dashboard: data source uids, panel ids, PromQL syntax. */
function dashboardProblems(dashboard: Obj, datasources: Obj[]): string[] {
  const problems: string[] = [];
  const uids = new Set(datasources.map((d) => d.uid));
  if (!dashboard.uid || !dashboard.title) problems.push("no uid or title");
  const ids = new Set<number>();
  for (const panel of dashboard.panels ?? []) {
    if (ids.has(panel.id)) problems.push(`panel id ${panel.id} is used twice`);
    ids.add(panel.id);
    for (const ds of [panel.datasource, ...(panel.targets ?? []).map((t: Obj) => t.datasource)]) {
      if (ds && !uids.has(ds.uid)) problems.push(`panel "${panel.title}": data source ${ds.uid}`);
    }
    for (const target of panel.targets ?? []) {
      if (promqlErrors(target.expr))
        problems.push(`panel "${panel.title}": bad query ${target.expr}`);
    }
  }
  return problems;
}

/** Syntax errors of a PromQL query, Grafana's variables replaced by sample values. */
function promqlErrors(expr: string | undefined): number {
  if (!expr) return 1;
  const query = expr
    .replace(/\$__(rate_interval|interval|range)/g, "5m")
    .replace(/\$\{?[A-Za-z_]+\}?/g, "x");
  let errors = 0;
  promql.parse(query).iterate({
    enter: (node) => {
      if (node.type.isError) errors++;
    },
  });
  return errors;
}
