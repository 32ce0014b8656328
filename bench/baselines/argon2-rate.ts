/**
 * The bare argon2id rate of this machine with the shop's parameters (lib/auth/passwords.ts) and the
 * users service's password bulkhead (4 at once): what logins are bounded by. Prints one JSON line.
 */
import { parseArgs } from "node:util";
import { hashPassword, verifyPassword } from "../../lib/auth/passwords.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "3" },
    concurrency: { type: "string", default: "4" },
  },
});
const hash = await hashPassword("bench-password-1234");
const end = Date.now() + Number(values.seconds) * 1000;
const start = performance.now();
let done = 0;
await Promise.all(
  Array.from({ length: Number(values.concurrency) }, async () => {
    while (Date.now() < end) {
      await verifyPassword(hash, "bench-password-1234");
      done += 1;
    }
  }),
);
const seconds = (performance.now() - start) / 1000;
process.stdout.write(JSON.stringify({ hashes: done, seconds, perSec: done / seconds }) + "\n");
