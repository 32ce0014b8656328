/**
 * One Idempotency-Key per attempt: a retry of the same attempt (same body, after no answer, a 5xx
 * or "still in progress") reuses the key so the server replays instead of charging twice; a new
 * attempt (other details, or after a definite answer) gets a fresh key.
 */
import { ApiError } from "../api/errors.ts";
import { uuid } from "./uuid.ts";

export class IdempotentAttempt {
  private key: string | null = null;
  private body: string | null = null;
  private readonly newKey: () => string;

  constructor(newKey: () => string = uuid) {
    this.newKey = newKey;
  }

  /** The key to send with this body. */
  keyFor(body: unknown): string {
    const serialized = JSON.stringify(body);
    if (!this.key || this.body !== serialized) {
      this.key = this.newKey();
      this.body = serialized;
    }
    return this.key;
  }

  /** Records the outcome: only an unanswered or transient failure keeps the key for a retry. */
  settle(error?: unknown): void {
    if (error instanceof ApiError && error.transient) return;
    this.key = null;
    this.body = null;
  }

  /** Runs `send` with the right key and settles the attempt by its outcome. */
  async run<T>(body: unknown, send: (key: string) => Promise<T>): Promise<T> {
    const key = this.keyFor(body);
    try {
      const result = await send(key);
      this.settle();
      return result;
    } catch (error) {
      this.settle(error);
      throw error;
    }
  }
}
