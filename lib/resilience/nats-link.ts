/**
 * What this node knows of its NATS connection, and whether a peer's connection is gone.
 *
 * Moleculer's NATS transporter keeps `transit.connected` true while nats.js reconnects, so the
 * node would publish requests into a buffer and wait the whole request timeout. The link follows
 * the client's own status events instead.
 *
 * A peer killed with SIGKILL sends no DISCONNECT; Moleculer notices only when its heartbeats stop
 * (6–12 s here). But the NATS server drops a closed connection's subscriptions at once, so a
 * request to the peer's own PING subject answers "no responders" (503) right away when the peer
 * is gone, while a live peer (even a busy one) still holds the subscription: the request then just
 * times out (the peer answers a Moleculer PONG, which Moleculer ignores). No false positives from
 * a slow peer, no extra traffic while calls are fast.
 */

/** The parts of a nats.js connection the link uses. */
export interface NatsClient {
  status(): AsyncIterable<{ type: string }>;
  closed(): Promise<void | Error>;
  isClosed(): boolean;
  request(subject: string, data: Uint8Array, opts: { timeout: number }): Promise<unknown>;
}

/** nats.js reports a request nobody subscribes to with this code. */
const NO_RESPONDERS = "503";

export class NatsLink {
  private up: boolean;
  private readonly client: NatsClient;
  private readonly onDown: () => void;

  constructor(client: NatsClient, onDown: () => void = () => undefined) {
    this.client = client;
    this.onDown = onDown;
    this.up = !client.isClosed();
    void this.follow();
    void client.closed().then(() => this.mark(false));
  }

  /** Whether the node is connected to NATS now. */
  get connected(): boolean {
    return this.up && !this.client.isClosed();
  }

  /**
   * True when nobody holds `subject` at the server: the subscriber's connection is gone. False
   * when a subscriber got the message (or the answer is unknown: no link, a timeout).
   */
  async nobodyListens(subject: string, data: Uint8Array, timeoutMs: number): Promise<boolean> {
    if (!this.connected) return false;
    try {
      await this.client.request(subject, data, { timeout: timeoutMs });
      return false;
    } catch (err) {
      return (err as { code?: unknown }).code === NO_RESPONDERS;
    }
  }

  private async follow(): Promise<void> {
    for await (const s of this.client.status()) {
      if (s.type === "disconnect") this.mark(false);
      else if (s.type === "reconnect") this.mark(true);
    }
  }

  private mark(up: boolean): void {
    const wasUp = this.up;
    this.up = up;
    if (wasUp && !up) this.onDown();
  }
}
