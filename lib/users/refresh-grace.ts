/**
 * The refresh grace period: two tabs that refresh with the same token at once must both stay
 * logged in. The pair a rotation hands out is kept for a few seconds, and the just-rotated token
 * presented again within that time gets the same pair back instead of counting as a reuse. Past
 * the grace a reuse still revokes the family (lib/users/sessions.ts).
 *
 * The pair is kept in the shared store sealed (AES-256-GCM) with a key derived from the presented
 * token, under a key derived from it another way: the store alone reveals no token.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import type { KeyValueStore } from "../store/kv.ts";

/** How long a loser of two concurrent rotations waits for the winner's pair. */
const WAIT_MS = 3_000;
const POLL_MS = 25;

const storeKey = (token: string) =>
  `refresh:next:${createHash("sha256").update(`next:${token}`).digest("hex")}`;
const sealKey = (token: string) =>
  Buffer.from(hkdfSync("sha256", token, "", "refresh-successor", 32));

/** Keeps the pair that replaced `presented`, for `graceMs`. */
export async function keepSuccessor<T>(
  store: KeyValueStore,
  presented: string,
  pair: T,
  graceMs: number,
): Promise<void> {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealKey(presented), iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(pair), "utf8"), cipher.final()]);
  const value = [iv, cipher.getAuthTag(), sealed].map((b) => b.toString("base64")).join(".");
  await store.set(storeKey(presented), value, graceMs);
}

/** The pair that replaced `presented`, if it is still kept. */
export async function successorOf<T>(store: KeyValueStore, presented: string): Promise<T | null> {
  const value = await store.get(storeKey(presented));
  if (!value) return null;
  const [iv, tag, sealed] = value.split(".").map((p) => Buffer.from(p, "base64"));
  try {
    const decipher = createDecipheriv("aes-256-gcm", sealKey(presented), iv);
    decipher.setAuthTag(tag);
    return JSON.parse(Buffer.concat([decipher.update(sealed), decipher.final()]).toString("utf8"));
  } catch {
    return null;
  }
}

/** The pair that replaced `presented`, waiting briefly for a rotation still under way. */
export async function awaitSuccessor<T>(
  store: KeyValueStore,
  presented: string,
): Promise<T | null> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const pair = await successorOf<T>(store, presented);
    if (pair || Date.now() >= deadline) return pair;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
