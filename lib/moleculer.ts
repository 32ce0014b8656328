/**
 * Moleculer's classes for the node's own code, loaded with require(). Its ES module entry
 * (index.mjs) also loads Moleculer's command-line runner and what the runner needs (glob, args,
 * kleur, a second copy of lodash): about 2 MB of heap and 5 MB of RSS in every node, for code a
 * node never runs. Types still come from `import type ... from "moleculer"`.
 */
import { createRequire } from "node:module";

const moleculer = createRequire(import.meta.url)("moleculer") as typeof import("moleculer");

export const { Cachers, Errors, MetricReporters, ServiceBroker, Validators } = moleculer;
export type ServiceBroker = import("moleculer").ServiceBroker;
