/**
 * The broker's parameter validator: fastest-validator with the input rules of API.md's
 * Conventions applied to every action's `params`, so no route can forget them:
 *
 * - `null` is not "absent": a field that has a type rejects it (422), optional or not, unless its
 *   rule says `nullable: true`. (fastest-validator lets `optional` fields take null.)
 * - Text never carries control characters (U+0000–U+001F): every `string`, `email` and `url`
 *   rule rejects them; a rule with `multiline: true` (long text) lets tab and newline through.
 * - A number converted from a query string or a path (`convert: true`) is a plain decimal:
 *   `0x10`, `1e3`, `Infinity`, `" 5"`, `""` or an array are 422, not 16, 1000 or 0.
 */
import { createRequire } from "node:module";
import type * as fastest from "fastest-validator";
import type { ValidatorConstructorOptions } from "fastest-validator";
import { Validators } from "./moleculer.ts";

// A CommonJS class (module.exports = Validator), which its types declare as a default export.
const Validator = createRequire(import.meta.url)(
  "fastest-validator",
) as typeof fastest.default.default;
type Validator = InstanceType<typeof Validator>;

/** Control characters text never carries. */
// eslint-disable-next-line no-control-regex -- finding them is the point
export const CONTROL_CHARACTERS = /[\u0000-\u001f]/;
/** Long text (`multiline: true`) may carry tab and newline, no other control character. */
// eslint-disable-next-line no-control-regex -- finding them is the point
export const CONTROL_CHARACTERS_BUT_TAB_NEWLINE = /[\u0000-\u0008\u000b-\u001f]/;
/** How a number is written in a query string: digits, an optional minus and fraction. */
export const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** Whether a text has a control character it may not carry. */
export function hasControlCharacter(text: string, multiline = false): boolean {
  return (multiline ? CONTROL_CHARACTERS_BUT_TAB_NEWLINE : CONTROL_CHARACTERS).test(text);
}

/** Whether a query-string value is a plain decimal number. */
export function isPlainDecimal(text: string): boolean {
  return PLAIN_DECIMAL.test(text);
}

export const MESSAGES = {
  notNull: "The '{field}' field must not be null.",
  stringControl: "The '{field}' field must not contain control characters.",
  numberDecimal: "The '{field}' field must be a plain decimal number.",
};

/** What fastest-validator hands a rule's compiler (its documented custom-rule signature). */
interface RuleArgs {
  schema: Record<string, unknown>;
  messages: Record<string, string>;
}
type RuleCompiler = (
  this: Validator,
  rule: RuleArgs,
  path: string,
  context: unknown,
) => { sanitized?: boolean; source: string };
interface Internals {
  rules: Record<string, RuleCompiler>;
  wrapRequiredCheckSourceCode(
    this: Validator,
    rule: RuleArgs,
    innerSrc: string,
    context: unknown,
    resVar?: string,
  ): string;
}

const base = Validator.prototype as unknown as Internals;

/** fastest-validator with the API's rules (see the top of this file). */
export class ApiRules extends Validator {
  constructor(opts: ValidatorConstructorOptions = {}) {
    super({ ...opts, messages: { ...MESSAGES, ...opts.messages } });
    const rules = (this as unknown as Internals).rules;
    for (const type of ["string", "email", "url"]) this.add(type, textRule(rules[type]));
    this.add("number", decimalRule(rules.number));
  }

  /**
   * fastest-validator's required/optional/nullable wrapper around every rule, with null
   * refused first unless the rule is `nullable: true` (or `any`/`forbidden`).
   */
  wrapRequiredCheckSourceCode(
    rule: RuleArgs,
    innerSrc: string,
    context: unknown,
    resVar?: string,
  ): string {
    const src = base.wrapRequiredCheckSourceCode.call(this, rule, innerSrc, context, resVar);
    const { nullable, type } = rule.schema;
    if (nullable === true || type === "any" || type === "forbidden") return src;
    const refuse = this.makeError({ type: "notNull", actual: "value", messages: rule.messages });
    return `if (value === null) { ${refuse} } else { ${src} }`;
  }
}

function textRule(original: RuleCompiler): RuleCompiler {
  return function (rule, path, context) {
    const compiled = original.call(this, rule, path, context);
    const control =
      rule.schema.multiline === true ? CONTROL_CHARACTERS_BUT_TAB_NEWLINE : CONTROL_CHARACTERS;
    const refuse = this.makeError({
      type: "stringControl",
      actual: "value",
      messages: rule.messages,
    });
    const check = `if (typeof value === "string" && ${control}.test(value)) { ${refuse} return value; }`;
    return { ...compiled, source: check + "\n" + compiled.source };
  };
}

function decimalRule(original: RuleCompiler): RuleCompiler {
  return function (rule, path, context) {
    const compiled = original.call(this, rule, path, context);
    if (rule.schema.convert !== true) return compiled;
    const refuse = this.makeError({
      type: "numberDecimal",
      actual: "value",
      messages: rule.messages,
    });
    const check = `if (typeof value !== "number" && !(typeof value === "string" && ${PLAIN_DECIMAL}.test(value))) { ${refuse} return value; }`;
    return { ...compiled, source: check + "\n" + compiled.source };
  };
}

/** Moleculer's fastest-validator adapter, compiling with the API's rules. */
export class ApiValidator extends Validators.Fastest {
  constructor(opts?: ConstructorParameters<typeof Validators.Fastest>[0]) {
    super(opts);
    (this as unknown as { validator: Validator }).validator = new ApiRules(this.opts);
  }
}
