import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, request, type Server } from "node:http";
import { connect } from "node:net";
import {
  ConnectionCounter,
  clientErrorAnswer,
  guardConnections,
  overConnectionCap,
  rejectOverCap,
} from "../../lib/http/connection-guard.ts";
import { answerHeadAsGet, isProbe } from "../../lib/http/requests.ts";
import { accessCheck, missingActions, readiness, servicesCheck } from "../../lib/http/readiness.ts";
import { carriesMetricsToken, gatewayMetricsExposure } from "../../lib/http/metrics-access.ts";

/** A guarded server answering "ok" (429 past the cap), listening on loopback. */
async function guardedServer(readTimeoutMs: number, maxPerAddress: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (overConnectionCap(req)) return rejectOverCap(res);
    req.resume();
    req.on("end", () => res.end("ok"));
  });
  guardConnections(server, { readTimeoutMs, maxPerAddress });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return server;
}

function portOf(server: Server): number {
  return (server.address() as { port: number }).port;
}

/** Opens a raw connection, writes `text`, and resolves with all it received once closed. */
function rawExchange(port: number, text: string, localAddress = "127.0.0.1") {
  const socket = connect({ host: "127.0.0.1", port, localAddress });
  let received = "";
  socket.on("data", (c) => (received += c.toString()));
  socket.on("error", () => undefined);
  socket.write(text);
  const closed = new Promise<string>((r) => socket.once("close", () => r(received)));
  return { socket, closed };
}

describe("ConnectionCounter", () => {
  it("counts open connections per address up to the cap", () => {
    const counter = new ConnectionCounter(2);
    assert.equal(counter.add("a"), true);
    assert.equal(counter.add("a"), true);
    assert.equal(counter.add("a"), false, "the third is past the cap");
    assert.equal(counter.add("b"), true, "another address has its own count");
    counter.remove("a");
    counter.remove("a");
    assert.equal(counter.count("a"), 1);
    assert.equal(counter.add("a"), true);
    counter.remove("a");
    counter.remove("a");
    assert.equal(counter.count("a"), 0);
  });
});

describe("clientErrorAnswer", () => {
  const err = (code: string) => Object.assign(new Error(code), { code });
  it("answers a read timeout with 408 REQUEST_TIMEOUT in the API's error shape", () => {
    const answer = clientErrorAnswer(err("ERR_HTTP_REQUEST_TIMEOUT"))!;
    assert.equal(answer.status, 408);
    const body = JSON.parse(answer.body);
    assert.deepEqual(Object.keys(body).sort(), ["code", "data", "message", "name", "type"]);
    assert.equal(body.type, "REQUEST_TIMEOUT");
  });

  it("answers oversized headers with 431 and other broken HTTP with 400", () => {
    assert.equal(clientErrorAnswer(err("HPE_HEADER_OVERFLOW"))!.status, 431);
    assert.equal(clientErrorAnswer(err("HPE_INVALID_METHOD"))!.status, 400);
  });

  it("answers nothing to a client that is gone", () => {
    assert.equal(clientErrorAnswer(err("ECONNRESET")), undefined);
  });
});

describe("guardConnections", () => {
  it("closes a connection whose body stalls after the read timeout, with 408", async () => {
    const server = await guardedServer(300, 0);
    try {
      const { closed } = rawExchange(
        portOf(server),
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\na",
      );
      const text = await closed;
      assert.match(text, /^HTTP\/1\.1 408 Request Timeout\r\n/);
      assert.match(text, /"type":"REQUEST_TIMEOUT"/);
    } finally {
      server.close();
    }
  });

  it("answers requests on connections past the per-address cap with 429 and closes them", async () => {
    const server = await guardedServer(5_000, 2);
    const port = portOf(server);
    try {
      const held = [rawExchange(port, ""), rawExchange(port, "")];
      await new Promise((r) => setTimeout(r, 100));
      const third = rawExchange(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      const text = await third.closed;
      assert.match(text, /^HTTP\/1\.1 429 /);
      assert.match(text, /"type":"TOO_MANY_CONNECTIONS"/);
      // Another address is not capped.
      const other = rawExchange(
        port,
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "127.0.0.2",
      );
      assert.match(await other.closed, /^HTTP\/1\.1 200 /);
      for (const h of held) h.socket.destroy();
      await Promise.all(held.map((h) => h.closed));
      await new Promise((r) => setTimeout(r, 50));
      const again = rawExchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assert.match(await again.closed, /^HTTP\/1\.1 200 /, "closed connections are not counted");
    } finally {
      server.close();
    }
  });
});

describe("isProbe", () => {
  it("is the liveness and readiness paths only", () => {
    assert.equal(isProbe("/api/health"), true);
    assert.equal(isProbe("/api/ready?x=1"), true);
    assert.equal(isProbe("/api/products"), false);
    assert.equal(isProbe(undefined), false);
  });
});

describe("answerHeadAsGet", () => {
  it("answers HEAD as GET: same status and headers, Content-Length, no body", async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      answerHeadAsGet(req, res);
      seen.push(req.method!);
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify({ hello: "world" }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const head = await new Promise<{ status: number; length?: string; body: string }>((r) => {
        request({ port: portOf(server), host: "127.0.0.1", method: "HEAD" }, (res) => {
          let body = "";
          res.on("data", (c) => (body += c));
          res.on("end", () =>
            r({ status: res.statusCode!, length: res.headers["content-length"], body }),
          );
        }).end();
      });
      assert.deepEqual(head, { status: 200, length: "17", body: "" });
      assert.deepEqual(seen, ["GET"]);
    } finally {
      server.close();
    }
  });
});

describe("readiness", () => {
  it("lists the published actions no node serves, once each", () => {
    const live = new Set(["api.health", "users.me"]);
    const missing = missingActions(
      ["api.health", "products.get", "products.get", "users.me", "carts.get"],
      (a) => live.has(a),
    );
    assert.deepEqual(missing, ["carts.get", "products.get"]);
    assert.equal(servicesCheck([]), "ok");
    assert.equal(servicesCheck(missing), "error: not available: carts.get, products.get");
    const many = servicesCheck(["a", "b", "c", "d", "e", "f", "g"]);
    assert.equal(many, "error: not available: a, b, c, d, e and 2 more");
  });

  it("needs the access lists from the access service", () => {
    assert.match(accessCheck("defaults"), /^error: /);
    assert.equal(accessCheck("initial"), "ok");
    assert.equal(accessCheck("1765-abc"), "ok");
  });

  it("is ready only when every check is ok", () => {
    assert.deepEqual(readiness({ database: "ok", services: "ok" }), {
      ready: true,
      body: { status: "ok", checks: { database: "ok", services: "ok" } },
    });
    const down = readiness({ database: "ok", services: "error: not available: products.get" });
    assert.equal(down.ready, false);
    assert.equal(down.body.status, "unavailable");
  });
});

describe("gateway /metrics exposure", () => {
  it("is never open in production", () => {
    assert.equal(gatewayMetricsExposure({ nodeEnv: "production", metricsToken: undefined }), "off");
    assert.equal(gatewayMetricsExposure({ nodeEnv: "production", metricsToken: "t" }), "token");
    assert.equal(gatewayMetricsExposure({ nodeEnv: "development", metricsToken: "t" }), "token");
    assert.equal(gatewayMetricsExposure({ nodeEnv: "test", metricsToken: undefined }), "open");
  });

  it("accepts exactly the bearer token", () => {
    const token = "a-metrics-token-0123456789";
    assert.equal(carriesMetricsToken(`Bearer ${token}`, token), true);
    assert.equal(carriesMetricsToken(`bearer ${token}`, token), true);
    assert.equal(carriesMetricsToken(token, token), false);
    assert.equal(carriesMetricsToken(`Bearer ${token}x`, token), false);
    assert.equal(carriesMetricsToken(undefined, token), false);
  });
});
