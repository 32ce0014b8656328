/**
 * Runs a request under its Idempotency-Key: the first run's outcome (success or client error) is
 * stored and replayed, byte for byte, to every retry with the same key and body.
 */
import { Errors } from "../../lib/moleculer.ts";
import { toHttpError } from "../../lib/http/errors.ts";
import { finishRequest, recordOutcome, startRequest } from "../../lib/orders/idempotency-store.ts";
import { isRemembered, requestHash, scopeOf } from "../../lib/orders/idempotency.ts";
import { requireIdempotencyKey, requireUser, type Ctx, type OrdersDeps } from "./deps.ts";

interface StoredError {
  name: string;
  message: string;
  code: number;
  type: string;
  data?: unknown;
}

/**
 * `work` receives the key's scope (a stable id for this logical request) and must be resumable:
 * after a crash, a retry with the same key runs it again from the start.
 */
export async function idempotently<T>(
  deps: OrdersDeps,
  ctx: Ctx,
  route: string,
  request: Record<string, unknown>,
  successStatus: number,
  work: (scope: string) => Promise<T>,
): Promise<T> {
  const user = requireUser(ctx);
  const key = requireIdempotencyKey(ctx);
  const scope = scopeOf(user.id, route, key);
  const start = await startRequest(deps.idempotency, {
    scope,
    userId: user.id,
    route,
    requestHash: requestHash(request),
  });
  if (start.kind === "replay") {
    ctx.meta.$responseHeaders = { ...ctx.meta.$responseHeaders, "Idempotent-Replayed": "true" };
    if (start.status >= 400) throw rebuild(start.body as StoredError);
    return start.body as T;
  }
  let result: T;
  try {
    result = await work(scope);
  } catch (err) {
    // What the client is answered decides what is remembered (a framework 404 such as
    // SERVICE_NOT_FOUND is a 503 to the client, and is not).
    const { status, body } = toHttpError(err);
    await finishRequest(deps.idempotency, start.id, status, body).catch((e) =>
      deps.logger.warn("Cannot record the outcome of an idempotent request", e),
    );
    throw err;
  }
  // JSON round trip: what is stored is exactly what the first caller receives.
  const body = JSON.parse(JSON.stringify(result)) as T;
  // Unrecorded, the key stays locked until it is presumed crashed; a retry then resumes.
  await finishRequest(deps.idempotency, start.id, successStatus, body).catch((e) =>
    deps.logger.warn("Cannot record the outcome of an idempotent request", e),
  );
  return body;
}

/**
 * A request refused before it did anything: its key is taken with this answer stored in one
 * write, instead of taken, run and finished (`unlessOrder`: see recordOutcome). True when
 * stored (the caller throws `refusal`); false when not: the caller runs `idempotently`, which
 * replays, waits or resumes.
 */
export async function refuseIdempotently(
  deps: OrdersDeps,
  ctx: Ctx,
  route: string,
  request: Record<string, unknown>,
  refusal: unknown,
  opts: { unlessOrder?: boolean } = {},
): Promise<boolean> {
  const user = requireUser(ctx);
  const key = requireIdempotencyKey(ctx);
  const { status, body } = toHttpError(refusal);
  if (!isRemembered(status)) return false;
  const req = {
    scope: scopeOf(user.id, route, key),
    userId: user.id,
    route,
    requestHash: requestHash(request),
  };
  return recordOutcome(deps.idempotency, req, status, body, opts);
}

function rebuild(stored: StoredError): Error {
  const err = new Errors.MoleculerClientError(
    stored.message,
    stored.code,
    stored.type,
    stored.data,
  );
  err.name = stored.name;
  return err;
}
