/**
 * The resources one node's services share: configuration, the database connection (when the
 * node hosts a service that owns tables), the key-value store and token settings. Opened before
 * the broker starts, so a bad DATABASE_URL, REDIS_URL or TRANSPORTER stops the start at once.
 */
import type { ServiceBroker } from "moleculer";
import type { Sequelize } from "sequelize";
import { connect as natsConnect } from "nats";
import type { Config } from "./config.ts";
import { redact } from "./redact.ts";
import { DATABASE_SERVICES, type ServiceName } from "./services.ts";
import { withTimeout } from "./timeout.ts";
import { MemoryStore, RedisStore, connectRedis, type KeyValueStore } from "./store/kv.ts";
import { Revocations } from "./auth/revocations.ts";
import type { TokenSettings } from "./auth/tokens.ts";

export interface Platform {
  config: Config;
  /** The node's database connection; undefined on a node that hosts no table-owning service. */
  sequelize: Sequelize | undefined;
  store: KeyValueStore;
  revocations: Revocations;
  tokens: TokenSettings;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Services this node hosts (decides whether the database is needed). */
  services: readonly ServiceName[];
  /** Run pending migrations at start (default true). */
  migrate?: boolean;
}

export async function openPlatform(config: Config, opts: OpenOptions): Promise<Platform> {
  if (config.transporter) await checkNats(config.transporter);
  const redis = config.redisUrl ? await connectRedis(config.redisUrl) : undefined;
  const store: KeyValueStore = redis
    ? new RedisStore(redis, `shop:${config.namespace || "default"}:`)
    : new MemoryStore();

  let sequelize: Sequelize | undefined;
  if (opts.services.some((s) => DATABASE_SERVICES.includes(s))) {
    // Loaded here: a node without a database (a gateway) never loads Sequelize or the migrations.
    const { connectDatabase, createSequelize } = await import("./db.ts");
    const { migrate } = await import("./migrate.ts");
    sequelize = createSequelize({ url: config.databaseUrl });
    try {
      await connectDatabase(sequelize, config.databaseUrl);
      if (opts.migrate !== false) await migrate(sequelize);
    } catch (err) {
      await store.close();
      await sequelize.close().catch(() => undefined);
      throw err;
    }
  }

  return {
    config,
    sequelize,
    store,
    revocations: new Revocations(store, config.accessTokenTtlSeconds),
    tokens: {
      secret: config.jwtSecret,
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      accessTtlSeconds: config.accessTokenTtlSeconds,
    },
    async close() {
      await store.close();
      await sequelize?.close();
    },
  };
}

/** Fails within seconds, naming the server, when NATS refuses the connection. */
async function checkNats(url: string): Promise<void> {
  try {
    const nc = await withTimeout(
      natsConnect({ servers: url, timeout: 4_000, reconnect: false, maxReconnectAttempts: 0 }),
      6_000,
      "timed out after 6 s",
    );
    await nc.close();
  } catch (err) {
    throw new Error(`Cannot connect to NATS at ${redact(url)}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

const platforms = new WeakMap<ServiceBroker, Platform>();

export function attachPlatform(broker: ServiceBroker, platform: Platform): void {
  platforms.set(broker, platform);
}

/** The platform of the node a service runs on. */
export function platformOf(broker: ServiceBroker): Platform {
  const platform = platforms.get(broker);
  if (!platform) throw new Error("No platform attached to this broker (use createNode)");
  return platform;
}

/** The node's database; a clear error when a service that needs it runs without one. */
export function databaseOf(broker: ServiceBroker): Sequelize {
  const { sequelize } = platformOf(broker);
  if (!sequelize) throw new Error("This node has no database connection");
  return sequelize;
}
