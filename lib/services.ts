/**
 * The one list of the app's services: what each is called, which module under services/ holds its
 * schema, and whether it owns tables. Everything else that names the services is derived from it:
 * the SERVICES variable's values (config.ts), which nodes open the database (platform.ts), what a
 * node loads (services/node.ts), and the deployment checks (test/unit/deploy).
 */

export interface ServiceEntry {
  /** The schema's module, relative to services/ (loaded only by a node that hosts the service). */
  readonly module: string;
  /** Owns tables: a node hosting it connects to the database and runs the migrations. */
  readonly database: boolean;
}

export const SERVICE_REGISTRY = {
  api: { module: "api.service.ts", database: false },
  users: { module: "users.service.ts", database: true },
  access: { module: "access.service.ts", database: true },
  products: { module: "products.service.ts", database: true },
  carts: { module: "carts.service.ts", database: true },
  orders: { module: "orders.service.ts", database: true },
  payments: { module: "payments.service.ts", database: true },
  monitor: { module: "monitor.service.ts", database: false },
} as const satisfies Record<string, ServiceEntry>;

export type ServiceName = keyof typeof SERVICE_REGISTRY;

/** Every service, in the registry's order (the default of SERVICES). */
export const ALL_SERVICES = Object.keys(SERVICE_REGISTRY) as readonly ServiceName[];

/** Services that own tables; a node hosting any of them connects to the database. */
export const DATABASE_SERVICES: readonly ServiceName[] = ALL_SERVICES.filter(
  (name) => SERVICE_REGISTRY[name].database,
);
