import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors.ts";
import { IdempotentAttempt } from "./idempotency.ts";

function counterKeys() {
  let n = 0;
  return () => `key-${++n}`;
}

describe("IdempotentAttempt", () => {
  it("reuses the key when the same body is retried after no answer", async () => {
    const attempt = new IdempotentAttempt(counterKeys());
    const seen: string[] = [];
    const body = { card: "4242" };
    await expect(
      attempt.run(body, async (key) => {
        seen.push(key);
        throw new ApiError(0, "NETWORK_ERROR", "offline");
      }),
    ).rejects.toThrow();
    await attempt.run(body, async (key) => seen.push(key));
    expect(seen).toEqual(["key-1", "key-1"]);
  });

  it("reuses the key after a 5xx or an attempt still in progress", async () => {
    const attempt = new IdempotentAttempt(counterKeys());
    const body = { a: 1 };
    for (const e of [
      new ApiError(503, "PAYMENT_UNAVAILABLE", ""),
      new ApiError(409, "IDEMPOTENCY_KEY_IN_PROGRESS", ""),
    ]) {
      await expect(attempt.run(body, async () => Promise.reject(e))).rejects.toBe(e);
      expect(attempt.keyFor(body)).toBe("key-1");
    }
  });

  it("takes a new key after a definite refusal", async () => {
    const attempt = new IdempotentAttempt(counterKeys());
    const body = { card: "4000000000000002" };
    await expect(
      attempt.run(body, async () => Promise.reject(new ApiError(402, "PAYMENT_DECLINED", ""))),
    ).rejects.toThrow();
    expect(attempt.keyFor(body)).toBe("key-2");
  });

  it("takes a new key when the details change", () => {
    const attempt = new IdempotentAttempt(counterKeys());
    expect(attempt.keyFor({ card: "1" })).toBe("key-1");
    expect(attempt.keyFor({ card: "1" })).toBe("key-1");
    expect(attempt.keyFor({ card: "2" })).toBe("key-2");
  });

  it("takes a new key after a success", async () => {
    const attempt = new IdempotentAttempt(counterKeys());
    await attempt.run({ a: 1 }, async () => "ok");
    expect(attempt.keyFor({ a: 1 })).toBe("key-2");
  });

  it("makes UUIDs by default", () => {
    expect(new IdempotentAttempt().keyFor({})).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
