/**
 * The broker's logger: Moleculer's Pino logger, JSON lines in production and readable lines in
 * development (pino-pretty), with
 * - the request id, trace id and span id of the request being handled on every line (a Pino
 *   mixin reading the OpenTelemetry context, see context.ts);
 * - secrets redacted: known fields anywhere in a logged object, and token-, card- and
 *   password-shaped text in messages;
 * - Moleculer's `logger.info("text", { fields })` call style turned into Pino's
 *   `(fields, "text")`, so the fields are kept as fields.
 */
import { createRequire } from "node:module";
import { inspect } from "node:util";
import { pino, stdSerializers, stdTimeFunctions, type Logger as PinoLogger } from "pino";
import type { LoggerConfig } from "moleculer";
import { currentIds } from "./context.ts";

/** Field names whose values never reach a log, at any depth up to three levels. */
export const SECRET_FIELDS = [
  "password",
  "currentPassword",
  "newPassword",
  "passwordHash",
  "accessToken",
  "refreshToken",
  "token",
  "authorization",
  "cookie",
  "card",
  "cardNumber",
  "cvv",
  "cvc",
  "secret",
  "jwtSecret",
] as const;

export const REDACT_PATHS = SECRET_FIELDS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);
export const CENSOR = "[REDACTED]";

export interface ShopLoggerOptions {
  format: "json" | "pretty";
  level: string;
  /** Where lines go (default stdout); tests pass a stream to read them back. */
  destination?: NodeJS.WritableStream;
}

/** The Pino instance behind a broker's loggers. */
export function createPino(opts: ShopLoggerOptions): PinoLogger {
  const destination =
    opts.destination ??
    (opts.format === "pretty"
      ? prettyStream()({
          colorize: process.stdout.isTTY,
          sync: true,
          translateTime: "SYS:HH:MM:ss.l",
          ignore: "ns,svc,ver,nodeID,mod",
          messageFormat: "[{nodeID}] {mod}: {msg}",
          singleLine: true,
        })
      : pino.destination({ fd: 1, sync: true }));
  return pino(
    {
      level: opts.level,
      base: null,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: stdSerializers.err },
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      mixin: () => currentIds() as Record<string, unknown>,
    },
    destination,
  );
}

/** pino-pretty, loaded only for the pretty format (production nodes write JSON). */
function prettyStream(): typeof import("pino-pretty") {
  return createRequire(import.meta.url)("pino-pretty");
}

/** Broker `logger` option: Moleculer's Pino logger over createPino(). */
export function loggerOptions(opts: ShopLoggerOptions): LoggerConfig {
  const root = createPino(opts);
  return {
    type: "Pino",
    options: {
      level: opts.level,
      createLogger: (level: string, bindings: Record<string, unknown>) =>
        moleculerStyle(root.child(bindings, { level })),
    },
  } as LoggerConfig;
}

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;
type Level = (typeof LEVELS)[number];

/** A logger taking Moleculer's arguments (texts, objects, errors in any order). */
export function moleculerStyle(logger: PinoLogger): Record<Level, (...args: unknown[]) => void> {
  const out = {} as Record<Level, (...args: unknown[]) => void>;
  for (const level of LEVELS) {
    out[level] = (...args: unknown[]) => {
      if (!logger.isLevelEnabled(level)) return;
      const [fields, msg] = toPino(args);
      logger[level](fields, msg);
    };
  }
  return out;
}

/**
 * Keys the logger sets itself: a logged object naming one of them goes under `data`. (An object
 * may set requestId/traceId: the access log names the request it reports on.)
 */
const OWN_KEYS = new Set(["level", "time", "msg", "nodeID", "ns", "mod", "svc", "ver"]);

export function toPino(args: unknown[]): [Record<string, unknown>, string] {
  const fields: Record<string, unknown> = {};
  const texts: string[] = [];
  for (const arg of args) {
    if (arg instanceof Error) fields.err = arg;
    else if (isPlainObject(arg)) {
      // e.g. Moleculer's { nodeID: <target> } must not pass for the node that logs.
      const clash = Object.keys(arg).some((k) => OWN_KEYS.has(k));
      if (clash) fields.data = { ...(fields.data as object), ...arg };
      else Object.assign(fields, arg);
    } else if (typeof arg === "string") texts.push(arg);
    else texts.push(inspect(arg, { depth: 2, breakLength: Infinity }));
  }
  return [fields, scrub(texts.join(" "))];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const TEXT_SECRETS: Array<[RegExp, string | ((m: string) => string)]> = [
  // JSON web tokens and bearer credentials
  [/\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]+/g, CENSOR],
  [/\b(Bearer|Basic)\s+[\w.~+/=-]{8,}/gi, `$1 ${CENSOR}`],
  // refresh tokens (rt_...)
  [/\brt_[\w-]{16,}/g, CENSOR],
  // key: value / key=value pairs naming a secret
  [
    /((?:password|passwd|currentPassword|newPassword|accessToken|refreshToken|token|secret|cvv|cvc|cardNumber)["']?\s*[:=]\s*["']?)[^"',\s}&]+/gi,
    `$1${CENSOR}`,
  ],
  // card numbers: 13 to 19 digits, optionally grouped, that pass the Luhn check
  [/\b\d(?:[ -]?\d){12,18}\b/g, (m) => (luhn(m.replace(/\D/g, "")) ? CENSOR : m)],
];

/** Masks secrets inside free text (a defence for messages built from values). */
export function scrub(text: string): string {
  let out = text;
  for (const [re, replacement] of TEXT_SECRETS) {
    out = out.replace(re, replacement as string);
  }
  return out;
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
