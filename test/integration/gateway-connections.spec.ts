/**
 * A gateway under slow-client attack: hundreds of connections that send a request's headers and
 * one byte of its body, then go silent. The gateway must keep answering its probes, close every
 * stalled connection after the read timeout (408), and answer connections past the per-address
 * cap with 429. Each suite runs in the embedded mode and in cluster mode (two gateways).
 */
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { startShop, type Mode, type TestShop } from "../helpers/shop.ts";
import { testModes } from "../helpers/infra.ts";

// Long enough that every stalled connection is open before the first one times out.
const READ_TIMEOUT_MS = 5_000;
const CAP = 40;
/** Every socket a test opened, destroyed after it (a failed test leaves none open). */
const opened = new Set<Socket>();

interface Stalled {
  socket: Socket;
  received: () => string;
  closed: Promise<void>;
}

/** A connection that sends a POST's headers and one byte of its 100-byte body, then nothing. */
function stall(port: number, localAddress: string): Promise<Stalled> {
  return new Promise((resolve, reject) => {
    let text = "";
    const socket = connect({ host: "127.0.0.1", port, localAddress });
    opened.add(socket);
    const closed = new Promise<void>((done) => socket.once("close", () => done()));
    socket.on("data", (chunk) => (text += chunk.toString()));
    socket.on("error", () => undefined);
    socket.once("connect", () => {
      socket.write(
        "POST /api/auth/login HTTP/1.1\r\nHost: shop.test\r\nContent-Type: application/json\r\n" +
          "Content-Length: 100\r\n\r\n{",
      );
      resolve({ socket, received: () => text, closed });
    });
    socket.once("error", reject);
  });
}

/** GET from a given local address (fetch cannot choose one), bounded in time. */
function getFrom(
  url: string,
  localAddress: string,
  timeoutMs = 8_000,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress, agent: false, timeout: timeoutMs }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || "null") }),
      );
    });
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url} in ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

async function stallMany(port: number, addresses: string[], perAddress: number) {
  const all = await Promise.all(
    addresses.flatMap((address) => Array.from({ length: perAddress }, () => stall(port, address))),
  );
  // Let the gateway read every request's headers.
  await new Promise((r) => setTimeout(r, 300));
  return all;
}

/** Every stalled connection is closed, each with a 408 or a 429 in the API's error shape. */
async function assertAllClosed(stalled: Stalled[]): Promise<{ timedOut: number; capped: number }> {
  const deadline = new Promise<"late">((r) => setTimeout(() => r("late"), 30_000).unref());
  const result = await Promise.race([Promise.all(stalled.map((s) => s.closed)), deadline]);
  const open = stalled.filter((s) => !s.socket.closed).length;
  for (const s of stalled) s.socket.destroy();
  assert.notEqual(result, "late", `${open} of ${stalled.length} stalled connections still open`);
  let timedOut = 0;
  let capped = 0;
  for (const s of stalled) {
    const text = s.received();
    const body = JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4));
    if (text.startsWith("HTTP/1.1 408")) {
      assert.equal(body.type, "REQUEST_TIMEOUT");
      timedOut++;
    } else {
      assert.ok(text.startsWith("HTTP/1.1 429"), text.slice(0, 40));
      assert.equal(body.type, "TOO_MANY_CONNECTIONS");
      assert.equal(body.code, 429);
      capped++;
    }
  }
  return { timedOut, capped };
}

const modes: Mode[] = await testModes();

for (const mode of modes) {
  describe(`gateway under stalled connections (${mode})`, () => {
    let shop: TestShop;
    let port: number;
    before(async () => {
      shop = await startShop(mode, {
        env: {
          HTTP_READ_TIMEOUT_MS: String(READ_TIMEOUT_MS),
          HTTP_MAX_CONNECTIONS_PER_ADDRESS: String(CAP),
        },
      });
      port = Number(new URL(shop.url).port);
    });
    afterEach(() => {
      for (const socket of opened) socket.destroy();
      opened.clear();
    });
    after(() => shop?.stop());

    it("keeps answering its probes while 300 connections from one address stall in a body", async () => {
      const stalled = await stallMany(port, ["127.0.0.1"], 300);
      const other = await getFrom(shop.url + "/api/categories", "127.0.0.1");
      assert.equal(other.status, 429, "a route other than the probes, past the cap");
      assert.equal(other.body.type, "TOO_MANY_CONNECTIONS");
      // The probes from the same address, past its cap, and the catalog from another address.
      assert.equal((await getFrom(shop.url + "/api/health", "127.0.0.1")).status, 200);
      const ready = await getFrom(shop.url + "/api/ready", "127.0.0.1");
      assert.equal(ready.status, 200, JSON.stringify(ready.body));
      assert.equal((await getFrom(shop.url + "/api/categories", "127.0.0.9")).status, 200);

      const { timedOut, capped } = await assertAllClosed(stalled);
      assert.equal(timedOut, CAP, "the connections within the cap waited for the read timeout");
      assert.equal(capped, 300 - CAP);
      assert.equal((await getFrom(shop.url + "/api/categories", "127.0.0.1")).status, 200);
    });

    it("keeps answering while 400 connections from four addresses stall in a body", async () => {
      const addresses = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"];
      // More stalled bodies within the caps (4 × 40) than a bulkhead slot count would allow.
      const stalled = await stallMany(port, addresses, 100);
      for (const url of shop.urls) {
        assert.equal((await getFrom(url + "/api/health", "127.0.0.6")).status, 200);
        assert.equal((await getFrom(url + "/api/ready", "127.0.0.6")).status, 200);
        assert.equal((await getFrom(url + "/api/categories", "127.0.0.6")).status, 200);
      }
      const { timedOut, capped } = await assertAllClosed(stalled);
      assert.equal(timedOut, 4 * CAP);
      assert.equal(capped, 400 - 4 * CAP);
    });

    it("closes a connection that never finishes its headers with 408", async () => {
      const socket = connect({ host: "127.0.0.1", port, localAddress: "127.0.0.7" });
      opened.add(socket);
      let text = "";
      socket.on("data", (c) => (text += c.toString()));
      socket.on("error", () => undefined);
      socket.write("GET /api/health HTTP/1.1\r\nHost: sh");
      await new Promise<void>((done) => socket.once("close", () => done()));
      assert.match(text, /^HTTP\/1\.1 408 /);
      assert.match(text, /"type":"REQUEST_TIMEOUT"/);
    });

    it("answers malformed HTTP with 400 in the error shape", async () => {
      const socket = connect({ host: "127.0.0.1", port, localAddress: "127.0.0.8" });
      opened.add(socket);
      let text = "";
      socket.on("data", (c) => (text += c.toString()));
      socket.on("error", () => undefined);
      socket.write("NOT HTTP AT ALL\r\n\r\n");
      await new Promise<void>((done) => socket.once("close", () => done()));
      assert.match(text, /^HTTP\/1\.1 400 /);
      assert.match(text, /"type":"MALFORMED_REQUEST"/);
    });
  });
}
