/**
 * What the production image sets for Node itself: the shop nodes of the benchmark run with the
 * same `NODE_OPTIONS` (V8's heap sizes) as the image, read from the Dockerfile, so that the memory
 * and the throughput measured are those of what production runs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DockerfileParser } from "dockerfile-ast";
import { ROOT } from "./processes.ts";

/** The last `ENV NODE_OPTIONS=...` of the Dockerfile (the runtime stage's), or "" when unset. */
export function imageNodeOptions(dockerfile = join(ROOT, "Dockerfile")): string {
  let value = "";
  for (const env of DockerfileParser.parse(readFileSync(dockerfile, "utf8")).getENVs()) {
    for (const property of env.getProperties()) {
      if (property.getName() === "NODE_OPTIONS") value = property.getValue() ?? "";
    }
  }
  return value;
}
