/**
 * The body-flood attacker, as its own process (so its writes do not delay the measuring process):
 * `node bench/lib/body-flood-client.ts <origin> <rate> <seconds>` sends 868 KiB JSON bodies of
 * 60,000 keys at a constant rate, cycling over an unknown route, a route that needs a login and a
 * public route past its body limit, and prints the answers' status counts as JSON.
 */
import http from "node:http";

export const FLOOD_TARGETS = ["/api/no-such-route", "/api/cart/items", "/api/auth/login"];

export function floodBody(): Buffer {
  const keys = Array.from({ length: 60_000 }, (_, i) => `"key${i}":"v"`);
  return Buffer.from(`{${keys.join(",")}}`);
}

function flood(origin: string, rate: number, seconds: number): Promise<Record<string, number>> {
  const body = floodBody();
  const url = new URL(origin);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const total = Math.max(1, Math.round(rate * seconds));
  const statuses: Record<string, number> = {};
  let done = 0;
  return new Promise((resolve) => {
    const count = (status: number) => {
      statuses[status] = (statuses[status] ?? 0) + 1;
      done += 1;
      if (done === total) {
        agent.destroy();
        resolve(statuses);
      }
    };
    for (let i = 0; i < total; i += 1) {
      setTimeout(
        () => {
          const req = http.request(
            {
              agent,
              host: url.hostname,
              port: url.port,
              method: "POST",
              path: FLOOD_TARGETS[i % FLOOD_TARGETS.length],
              headers: { "content-type": "application/json", "content-length": body.length },
            },
            (res) => {
              res.resume();
              res.on("end", () => count(res.statusCode ?? 0));
            },
          );
          req.setTimeout(15_000, () => req.destroy(new Error("timeout")));
          req.on("error", () => count(0));
          req.end(body);
        },
        (i * 1000) / rate,
      );
    }
  });
}

if (import.meta.main) {
  const [origin, rate, seconds] = process.argv.slice(2);
  const statuses = await flood(origin, Number(rate), Number(seconds));
  process.stdout.write(JSON.stringify(statuses) + "\n");
}
