/**
 * What the gateway's HTTP server allows a client before any request reaches Moleculer:
 * - a read timeout: a request's headers and body must arrive within `readTimeoutMs` (Node's
 *   `headersTimeout`/`requestTimeout`, checked every quarter of it), else 408 in the API's error
 *   shape and the connection is closed. Without it a client sending headers and one byte of body
 *   holds its request open for moleculer-web's 300 s;
 * - a cap on open connections per client (socket) address: a connection past the cap is marked,
 *   and its requests get 429 TOO_MANY_CONNECTIONS and `Connection: close` (the probes excepted);
 * - malformed HTTP gets 400 (431 for oversized headers) in the API's error shape.
 * The socket address is counted, not X-Forwarded-For: behind a proxy, raise the cap or set it to 0.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

export interface ConnectionGuardOptions {
  readTimeoutMs: number;
  /** Open connections per client address; 0 = no cap. */
  maxPerAddress: number;
}

const OVER_CAP = Symbol("overConnectionCap");
type GuardedSocket = Socket & { [OVER_CAP]?: boolean };

/** Applies the read timeout and the connection cap to `server` (before it listens). */
export function guardConnections(server: Server, opts: ConnectionGuardOptions): void {
  server.headersTimeout = opts.readTimeoutMs;
  server.requestTimeout = opts.readTimeoutMs;
  // Node checks the timeouts on this interval (30 s by default); read when the server listens.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    Math.max(25, Math.min(1_000, opts.readTimeoutMs / 4));
  if (opts.maxPerAddress > 0) {
    const open = new ConnectionCounter(opts.maxPerAddress);
    server.on("connection", (socket: GuardedSocket) => {
      const address = socket.remoteAddress ?? "unknown";
      if (!open.add(address)) socket[OVER_CAP] = true;
      socket.once("close", () => open.remove(address));
    });
  }
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
    const answer = clientErrorAnswer(err);
    const response = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    if (answer && socket.writable && !response?.headersSent) {
      socket.end(rawResponse(answer.status, answer.body));
    }
    socket.destroySoon();
  });
}

/** True when the request came on a connection past its address's cap. */
export function overConnectionCap(req: IncomingMessage): boolean {
  return (req.socket as GuardedSocket)[OVER_CAP] === true;
}

/** Answers a request on a connection past the cap: 429 and the connection closes. */
export function rejectOverCap(res: ServerResponse): void {
  const body = errorBody(
    429,
    "TooManyConnectionsError",
    "Too many open connections from your address",
    "TOO_MANY_CONNECTIONS",
  );
  res.writeHead(429, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "Retry-After": "1",
    Connection: "close",
  });
  res.end(body);
}

/** Open connections per address, at most `max` each. */
export class ConnectionCounter {
  private readonly counts = new Map<string, number>();
  private readonly max: number;
  constructor(max: number) {
    this.max = max;
  }

  /** Counts a connection; false when the address already has `max` open (it is counted too). */
  add(address: string): boolean {
    const count = (this.counts.get(address) ?? 0) + 1;
    this.counts.set(address, count);
    return count <= this.max;
  }

  remove(address: string): void {
    const count = (this.counts.get(address) ?? 1) - 1;
    if (count <= 0) this.counts.delete(address);
    else this.counts.set(address, count);
  }

  count(address: string): number {
    return this.counts.get(address) ?? 0;
  }
}

/** What a client that broke HTTP gets, or undefined when it is gone (nothing to answer). */
export function clientErrorAnswer(
  err: NodeJS.ErrnoException,
): { status: number; body: string } | undefined {
  if (err.code === "ECONNRESET" || err.code === "HPE_INVALID_EOF_STATE") return undefined;
  if (err.code === "ERR_HTTP_REQUEST_TIMEOUT") {
    const message = "The request's headers and body did not arrive in time";
    return { status: 408, body: errorBody(408, "RequestTimeoutError", message, "REQUEST_TIMEOUT") };
  }
  if (err.code === "HPE_HEADER_OVERFLOW") {
    const message = "The request's headers are too large";
    return { status: 431, body: errorBody(431, "BadRequestError", message, "HEADERS_TOO_LARGE") };
  }
  const message = "The request is not valid HTTP";
  return { status: 400, body: errorBody(400, "BadRequestError", message, "MALFORMED_REQUEST") };
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  408: "Request Timeout",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
};

function rawResponse(status: number, body: string): string {
  return (
    `HTTP/1.1 ${status} ${REASONS[status] ?? "Error"}\r\n` +
    "Content-Type: application/json; charset=utf-8\r\n" +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    "Connection: close\r\n\r\n" +
    body
  );
}

function errorBody(code: number, name: string, message: string, type: string): string {
  return JSON.stringify({ name, message, code, type, data: {} });
}
