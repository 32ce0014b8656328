/**
 * Checks of the Dockerfile: syntax (dockerfile-utils, the linter of the Dockerfile language
 * server), then what the issue asks of the image, read from its parsed instructions
 * (dockerfile-ast).
 */
import { existsSync } from "node:fs";
import { join, posix } from "node:path";
import { DockerfileParser, type Instruction } from "dockerfile-ast";
import { validate } from "dockerfile-utils";
import { dockerignore, importGraph, ROOT, unknownEnv } from "./lib.ts";

export interface Stage {
  name: string | null;
  image: string;
  instructions: Instruction[];
}

export function parseStages(text: string): Stage[] {
  const dockerfile = DockerfileParser.parse(text);
  const args = new Map<string, string>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) args.set(property.getName(), property.getValue() ?? "");
  }
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === "FROM") {
      const from = instruction as unknown as { getBuildStage(): string | null };
      const image = (instruction.getArguments()[0]?.getValue() ?? "").replace(
        /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
        (_m, name: string) => args.get(name) ?? "",
      );
      stages.push({ name: from.getBuildStage(), image, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

/** The arguments of an exec-form (JSON array) instruction, or undefined for the shell form. */
export function execForm(text: string): string[] | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("[")) return undefined;
  try {
    const value = JSON.parse(trimmed);
    return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A flag or a property of an instruction (dockerfile-ast's Flag and Property). */
interface NamedValue {
  getName(): string;
  getValue(): string | null;
}

function content(instruction: Instruction): string {
  return instruction.getArgumentsContent() ?? "";
}

function fromFlag(instruction: Instruction): string | undefined {
  const flags = (instruction as unknown as { getFlags?(): NamedValue[] }).getFlags?.() ?? [];
  const flag = flags.find((f) => f.getName() === "from");
  return flag ? String(flag.getValue()) : undefined;
}

/** [source paths, destination] of a COPY, flags left out. */
function copyArgs(instruction: Instruction): { sources: string[]; dest: string } {
  const args = instruction
    .getArguments()
    .map((a) => a.getValue())
    .filter((a) => !a.startsWith("--"));
  return { sources: args.slice(0, -1), dest: args[args.length - 1] ?? "" };
}

/** Every problem of the Dockerfile against what the deployment needs; empty when all is well. */
export function checkDockerfile(text: string, ignoreText: string): string[] {
  const problems: string[] = [];
  for (const d of validate(text)) {
    problems.push(`line ${d.range.start.line + 1}: ${d.message}`);
  }
  // Offline builds: only the npm registry and Debian's mirror are reachable.
  if (/^#\s*syntax\s*=/im.test(text)) {
    problems.push("a `# syntax=` line pulls a BuildKit frontend image from a registry");
  }
  const stages = parseStages(text);
  if (stages.length < 2) problems.push("not multi-stage (one FROM)");
  for (const stage of stages) {
    if (!/^node:24(?:[.-]|$)/.test(stage.image)) {
      problems.push(`stage ${stage.name ?? "?"} is not based on a node:24 image (${stage.image})`);
    }
  }
  const runtime = stages[stages.length - 1];
  if (!runtime) return problems;
  const ins = (keyword: string) => runtime.instructions.filter((i) => i.getKeyword() === keyword);

  // Production dependencies only, built in another stage (with the tools sqlite3 needs).
  const depsCopy = ins("COPY").find((i) => content(i).includes("node_modules") && fromFlag(i));
  const depsStage = depsCopy && stages.find((s) => s.name === fromFlag(depsCopy));
  if (!depsStage) {
    problems.push("the runtime stage does not copy node_modules from a dependencies stage");
  } else {
    const runs = depsStage.instructions.filter((i) => i.getKeyword() === "RUN").map(content);
    if (!runs.some((r) => /\bnpm ci\b[^&|;]*--omit=dev/.test(r))) {
      problems.push(`stage ${depsStage.name} does not install with npm ci --omit=dev`);
    }
    const env = depsStage.instructions
      .filter((i) => i.getKeyword() === "ENV" || i.getKeyword() === "ARG")
      .map(content)
      .join(" ");
    if (!/npm_config_nodedir=\/usr\/local\b/.test(env)) {
      problems.push(
        `stage ${depsStage.name} does not set npm_config_nodedir (node-gyp downloads headers)`,
      );
    }
    const tools = runs.join(" ");
    for (const tool of ["python3", "make", "g++"]) {
      if (!new RegExp(`apt-get install[^&|;]*\\s${tool.replace("+", "\\+")}(\\s|$)`).test(tools)) {
        problems.push(
          `stage ${depsStage.name} does not install ${tool} (sqlite3 builds from source)`,
        );
      }
    }
  }
  for (const run of ins("RUN").map(content)) {
    if (/\b(apt-get install|npm (ci|install)|yarn|pnpm)\b/.test(run)) {
      problems.push(`the runtime stage installs packages: ${run.slice(0, 60)}`);
    }
  }

  // Environment: only variables the app reads; the gateway listens on every interface.
  const env = new Map<string, string>();
  for (const i of ins("ENV")) {
    for (const p of (i as unknown as { getProperties(): NamedValue[] }).getProperties()) {
      env.set(p.getName(), p.getValue() ?? "");
    }
  }
  // NODE_OPTIONS is read by Node itself: V8's heap sizes, which the benchmark runs with too.
  for (const name of unknownEnv([...env.keys()].filter((n) => n !== "NODE_OPTIONS"))) {
    problems.push(`ENV ${name} is not read by the app`);
  }
  const nodeOptions = env.get("NODE_OPTIONS") ?? "";
  for (const flag of ["--max-semi-space-size=", "--max-old-space-size="]) {
    if (!nodeOptions.split(/\s+/).some((o) => o.startsWith(flag))) {
      problems.push(`ENV NODE_OPTIONS does not size V8's heap (${flag}...)`);
    }
  }
  if (env.get("HOST") !== "0.0.0.0") problems.push("ENV HOST=0.0.0.0 is missing");
  if (env.get("NODE_ENV") !== "production") problems.push("ENV NODE_ENV=production is missing");
  const exposed = ins("EXPOSE").flatMap((i) => content(i).split(/\s+/));
  if (!exposed.some((p) => p.replace(/\/tcp$/, "") === env.get("PORT"))) {
    problems.push(`EXPOSE does not publish PORT (${env.get("PORT")})`);
  }

  // A non-root user, by number (Kubernetes can then verify runAsNonRoot).
  const users = ins("USER").map(content);
  const user = users[users.length - 1]?.split(":")[0];
  if (user === undefined) problems.push("the runtime stage runs as root (no USER)");
  else if (user === "root" || user === "0") problems.push("USER is root");
  else if (!/^\d+$/.test(user)) problems.push(`USER ${user} is not numeric`);

  // The process: node itself as PID 1 (signals reach it), on a script that exists.
  const cmds = ins("CMD");
  const cmd = cmds.length > 0 ? execForm(content(cmds[cmds.length - 1])) : undefined;
  if (!cmd) problems.push("CMD is missing or not in exec form");
  else if (cmd[0] !== "node") problems.push(`CMD runs ${cmd[0]}, not node (signals)`);
  else if (!existsSync(join(ROOT, cmd[1] ?? ""))) problems.push(`CMD script ${cmd[1]} is missing`);
  if (ins("ENTRYPOINT").length > 0)
    problems.push("ENTRYPOINT is set (it would wrap the node process)");
  const stop = ins("STOPSIGNAL").map(content);
  if (stop.length > 0 && stop[stop.length - 1] !== "SIGTERM")
    problems.push("STOPSIGNAL is not SIGTERM");

  // HEALTHCHECK in exec form, on a script that exists.
  const healthchecks = ins("HEALTHCHECK");
  const hc = healthchecks[healthchecks.length - 1];
  const hcArgs = hc
    ?.getArguments()
    .map((a) => a.getValue())
    .filter((a) => !a.startsWith("--"));
  if (!hc || !hcArgs || hcArgs[0] !== "CMD") problems.push("HEALTHCHECK CMD is missing");
  else {
    const command = execForm(hcArgs.slice(1).join(" "));
    if (!command) problems.push("HEALTHCHECK is not in exec form");
    else {
      const script = command.find((a) => /\.(ts|sh|mjs)$/.test(a));
      if (script && !existsSync(join(ROOT, script))) {
        problems.push(`HEALTHCHECK script ${script} is missing`);
      }
    }
  }

  // Every file the node loads is in the image, where the code expects it.
  const copied = new Set<string>();
  let workdir = "/";
  for (const i of runtime.instructions) {
    if (i.getKeyword() === "WORKDIR") workdir = posix.resolve(workdir, content(i));
    if (i.getKeyword() !== "COPY" || fromFlag(i)) continue;
    const { sources, dest } = copyArgs(i);
    const destAbs = posix.resolve(workdir, dest);
    for (const source of sources) {
      const target =
        sources.length > 1 || dest.endsWith("/")
          ? posix.join(destAbs, posix.basename(source))
          : destAbs;
      if (target === posix.join(workdir, source)) copied.add(source);
      else problems.push(`COPY ${source} lands in ${target}, not ${posix.join(workdir, source)}`);
    }
  }
  const ignored = dockerignore(ignoreText);
  const needed = [
    ...importGraph(["bin/start.ts"]),
    "deploy/probe.sh",
    "package.json",
    "public/index.html",
  ];
  for (const file of needed) {
    const top = [...copied].find((c) => file === c || file.startsWith(`${c}/`));
    if (!top) problems.push(`${file} is not copied into the runtime image`);
    else if (ignored(file)) problems.push(`${file} is excluded by .dockerignore`);
  }
  for (const secret of [".env", "node_modules/x", ".git/config", "data/shop.sqlite"]) {
    if (!ignored(secret)) problems.push(`.dockerignore lets ${secret} into the build context`);
  }
  if (!ins("COPY").some((i) => fromFlag(i) && content(i).includes("web/dist"))) {
    problems.push("the web app (web/dist) is not copied from a build stage");
  }
  const webStage = stages.find((s) =>
    s.instructions.some((i) => i.getKeyword() === "RUN" && /npm run build/.test(content(i))),
  );
  if (!webStage) problems.push("no stage builds the web app (npm run build)");
  return problems;
}
