/**
 * A TCP proxy on 127.0.0.1 in front of a real server (Redis, NATS), for tests that cut a node's
 * connection to it: `cut()` closes every proxied connection and refuses new ones (as a dead
 * server or a lost network would); `restore()` listens again on the same port.
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";

export class TcpProxy {
  readonly target: { host: string; port: number };
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;

  constructor(targetUrl: string) {
    const url = new URL(targetUrl);
    this.target = { host: url.hostname, port: Number(url.port) };
  }

  /** The proxy's port (fixed after the first start, so clients reconnect to the same address). */
  get port(): number {
    return this.boundPort;
  }

  /** The target URL with the proxy's address in place of the server's. */
  url(targetUrl: string): string {
    const url = new URL(targetUrl);
    url.hostname = "127.0.0.1";
    url.port = String(this.boundPort);
    return url.toString().replace(/\/$/, "");
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.boundPort, "127.0.0.1", () => resolve());
    });
    this.boundPort = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Drops every connection and stops listening: the server is gone for the clients. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async restore(): Promise<void> {
    await this.start();
  }

  async stop(): Promise<void> {
    await this.cut();
  }

  private pipe(client: Socket): void {
    const upstream = createConnection(this.target);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
