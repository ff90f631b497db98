// Copied as it is from worker-client-gen's runtime (generator/runtime/typescript/src/).
//
// Payload validation: JSON Schema 2020-12 as the generator, `serve` and the Python client
// read it. It is evaluated here rather than by a general-purpose library so that the dialect
// is exactly theirs: annotations flow to unevaluatedProperties/unevaluatedItems from every
// keyword that makes them (contains and if included), only own properties count (a payload
// without `toString` lacks it), only the formats in CHECKED_FORMATS are asserted, and
// `pattern` runs on RE2 (re2js), in linear time, in the form the generator translated it to
// (PATTERNS), so no pattern and no payload can hang the client.

import { RE2JS } from "re2js";

import { CHECKED_FORMATS } from "./constants.js";
import { PayloadValidationError, WorkerClientError, type ValidationIssue } from "./errors.js";
import { isMessageType, type MessageType } from "./messageTypes.js";
import { PATTERNS, PAYLOAD_TYPES, SCHEMA_DEFS } from "./schemas.js";

type Schema = boolean | SchemaObject;
interface SchemaObject {
  readonly [keyword: string]: unknown;
}

/** What a successful evaluation saw: the property names and item indexes it evaluated. */
interface Seen {
  readonly props: Set<string>;
  readonly items: Set<number>;
}

const DEFS_PREFIX = "#/$defs/";

function own(node: SchemaObject, key: string): unknown {
  return Object.hasOwn(node, key) ? node[key] : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pointer(base: string, part: string | number): string {
  return `${base}/${String(part).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "boolean":
      return typeof value === "boolean";
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    default:
      return false;
  }
}

/** JSON equality: numbers by value (1 equals 1.0), objects by their own keys. */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => equal(item, b[i]))
    );
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]))
    );
  }
  return false;
}

/** n as an exact decimal: digits and a power of ten (from its shortest spelling). */
function decimal(n: number): [bigint, number] {
  const [mantissa = "0", exp = "0"] = n.toExponential().split("e");
  const [whole = "0", frac = ""] = mantissa.split(".");
  return [BigInt(whole + frac), Number(exp) - frac.length];
}

function isMultipleOf(value: number, divisor: number): boolean {
  if (!Number.isFinite(value)) return false;
  const [a, ea] = decimal(value);
  const [b, eb] = decimal(divisor);
  const scale = Math.min(ea, eb);
  const x = a * 10n ** BigInt(ea - scale);
  const y = b * 10n ** BigInt(eb - scale);
  return y !== 0n && x % y === 0n;
}

const compiled = new Map<string, RE2JS>();

function matches(source: string, text: string): boolean {
  let regex = compiled.get(source);
  if (regex === undefined) {
    const translated = PATTERNS.get(source);
    if (translated === undefined) {
      throw new WorkerClientError(`pattern ${JSON.stringify(source)} was not translated`);
    }
    regex = RE2JS.compile(translated);
    compiled.set(source, regex);
  }
  return regex.test(text);
}

// --------------------------------------------------------------------------- formats

const DIGITS = /^[0-9]+$/;
const DATE_TIME =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** RFC 3339 date-time; a leap second only where it can be: 23:59:60 in UTC. */
function isDateTime(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  let offset = 0;
  if (m[7] === undefined) {
    const offHour = Number(m[9]);
    const offMinute = Number(m[10]);
    if (offHour > 23 || offMinute > 59) return false;
    offset = (m[8] === "-" ? -1 : 1) * (offHour * 60 + offMinute);
  }
  if (second === 60) {
    const utc = (((hour * 60 + minute - offset) % 1440) + 1440) % 1440;
    return utc === 23 * 60 + 59;
  }
  return true;
}

function isIPv4(text: string): boolean {
  const parts = text.split(".");
  return (
    parts.length === 4 &&
    parts.every((p) => DIGITS.test(p) && p.length <= 3 && Number(p) <= 255 && (p === "0" || p[0] !== "0"))
  );
}

function isIPv6(text: string): boolean {
  let head = text;
  let groups = 8;
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    if (!isIPv4(text.slice(lastColon + 1))) return false;
    head = text.slice(0, lastColon + 1) + "0";
    groups = 7;
  }
  const hex = /^[0-9a-fA-F]{1,4}$/;
  const halves = head.split("::");
  if (halves.length > 2) return false;
  const split = (s: string): string[] => (s === "" ? [] : s.split(":"));
  const [left = "", right] = halves;
  const parts = [...split(left), ...(right === undefined ? [] : split(right))];
  if (!parts.every((p) => hex.test(p))) return false;
  return right === undefined ? parts.length === groups : parts.length < groups;
}

const UNRESERVED = "A-Za-z0-9\\-._~";
const SUB_DELIMS = "!$&'()*+,;=";
const PCT = "%[0-9A-Fa-f]{2}";
const PCHAR = `(?:[${UNRESERVED}${SUB_DELIMS}:@]|${PCT})`;
const URI = new RegExp(
  `^([A-Za-z][A-Za-z0-9+\\-.]*):` +
    `(?://((?:(?:[${UNRESERVED}${SUB_DELIMS}:]|${PCT})*@)?` +
    `(\\[[^\\]]*\\]|(?:[${UNRESERVED}${SUB_DELIMS}]|${PCT})*)(?::[0-9]*)?)` +
    `(?:/${PCHAR}*)*|/?(?:${PCHAR}+(?:/${PCHAR}*)*)?)` +
    `(?:\\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?])*)?$`,
);
const IP_FUTURE = new RegExp(`^v[0-9A-Fa-f]+\\.[${UNRESERVED}${SUB_DELIMS}:]+$`);

/** RFC 3986 URI: a scheme, then the rest of the grammar (no spaces, no non-ASCII). */
function isUri(text: string): boolean {
  const m = URI.exec(text);
  if (m === null) return false;
  const host = m[3];
  if (host !== undefined && host.startsWith("[")) {
    const literal = host.slice(1, -1);
    return isIPv6(literal) || IP_FUTURE.test(literal);
  }
  return true;
}

const FORMATS: Record<string, (text: string) => boolean> = {
  "date-time": isDateTime,
  uri: isUri,
  uuid: (text) => UUID.test(text),
};

// --------------------------------------------------------------------------- evaluation

class Evaluator {
  constructor(private readonly defs: Record<string, unknown>) {}

  private resolve(ref: string): Schema {
    const name = ref.startsWith(DEFS_PREFIX) ? ref.slice(DEFS_PREFIX.length) : undefined;
    const target = name !== undefined && Object.hasOwn(this.defs, name) ? this.defs[name] : undefined;
    if (typeof target !== "boolean" && !isObject(target)) {
      throw new WorkerClientError(`schema reference ${JSON.stringify(ref)} does not resolve`);
    }
    return target;
  }

  /** What the schema saw when the value is valid, else null (issues says why). */
  check(schema: Schema, value: unknown, path: string, issues: ValidationIssue[]): Seen | null {
    const seen: Seen = { props: new Set(), items: new Set() };
    if (schema === true) return seen;
    if (schema === false) {
      issues.push({ path, message: "is not allowed" });
      return null;
    }
    const before = issues.length;
    const fail = (message: string, at: string = path): void => {
      issues.push({ path: at, message });
    };
    const merge = (other: Seen | null): void => {
      if (other === null) return;
      other.props.forEach((p) => seen.props.add(p));
      other.items.forEach((i) => seen.items.add(i));
    };

    const ref = own(schema, "$ref");
    if (typeof ref === "string") merge(this.check(this.resolve(ref), value, path, issues));
    this.checkType(schema, value, fail);
    if (typeof value === "number") this.checkNumber(schema, value, fail);
    if (typeof value === "string") this.checkString(schema, value, fail);
    if (Array.isArray(value)) this.checkArray(schema, value, path, issues, seen);
    if (isObject(value)) this.checkObject(schema, value, path, issues, seen, merge);
    this.checkApplicators(schema, value, path, issues, merge, fail);
    // Last: unevaluated* see what every other keyword (and in-place subschema) evaluated.
    if (Array.isArray(value)) {
      const unevaluated = own(schema, "unevaluatedItems");
      if (unevaluated !== undefined) {
        value.forEach((item, i) => {
          if (!seen.items.has(i)) {
            if (this.check(unevaluated as Schema, item, pointer(path, i), issues) !== null) {
              seen.items.add(i);
            }
          }
        });
      }
    }
    if (isObject(value)) {
      const unevaluated = own(schema, "unevaluatedProperties");
      if (unevaluated !== undefined) {
        for (const key of Object.keys(value)) {
          if (!seen.props.has(key)) {
            const at = pointer(path, key);
            if (unevaluated === false) {
              fail("is not a known field", at);
            } else if (this.check(unevaluated as Schema, value[key], at, issues) !== null) {
              seen.props.add(key);
            }
          }
        }
      }
    }
    return issues.length === before ? seen : null;
  }

  private checkType(schema: SchemaObject, value: unknown, fail: (m: string) => void): void {
    const type = own(schema, "type");
    if (type !== undefined) {
      const types = Array.isArray(type) ? (type as string[]) : [type as string];
      if (!types.some((t) => hasType(value, t))) fail(`must be ${types.join(",")}`);
    }
    const allowed = own(schema, "enum");
    if (Array.isArray(allowed) && !allowed.some((v) => equal(v, value))) {
      fail(`must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}`);
    }
    if (Object.hasOwn(schema, "const") && !equal(schema["const"], value)) {
      fail("must be equal to constant");
    }
  }

  private checkNumber(schema: SchemaObject, value: number, fail: (m: string) => void): void {
    const num = (key: string): number | undefined => {
      const v = own(schema, key);
      return typeof v === "number" ? v : undefined;
    };
    const multipleOf = num("multipleOf");
    if (multipleOf !== undefined && !isMultipleOf(value, multipleOf)) {
      fail(`must be multiple of ${multipleOf}`);
    }
    const max = num("maximum");
    if (max !== undefined && !(value <= max)) fail(`must be <= ${max}`);
    const xmax = num("exclusiveMaximum");
    if (xmax !== undefined && !(value < xmax)) fail(`must be < ${xmax}`);
    const min = num("minimum");
    if (min !== undefined && !(value >= min)) fail(`must be >= ${min}`);
    const xmin = num("exclusiveMinimum");
    if (xmin !== undefined && !(value > xmin)) fail(`must be > ${xmin}`);
  }

  private checkString(schema: SchemaObject, value: string, fail: (m: string) => void): void {
    const length = [...value].length; // code points, not UTF-16 units
    const maxLength = own(schema, "maxLength");
    if (typeof maxLength === "number" && length > maxLength) {
      fail(`must NOT have more than ${maxLength} characters`);
    }
    const minLength = own(schema, "minLength");
    if (typeof minLength === "number" && length < minLength) {
      fail(`must NOT have fewer than ${minLength} characters`);
    }
    const pattern = own(schema, "pattern");
    if (typeof pattern === "string" && !matches(pattern, value)) {
      fail(`must match pattern ${JSON.stringify(pattern)}`);
    }
    const format = own(schema, "format");
    if (typeof format === "string" && CHECKED_FORMATS.includes(format)) {
      const check = FORMATS[format];
      if (check !== undefined && !check(value)) fail(`must match format "${format}"`);
    }
  }

  private checkArray(
    schema: SchemaObject,
    value: unknown[],
    path: string,
    issues: ValidationIssue[],
    seen: Seen,
  ): void {
    const fail = (message: string): void => {
      issues.push({ path, message });
    };
    const prefix = own(schema, "prefixItems");
    const positional = Array.isArray(prefix) ? (prefix as Schema[]) : [];
    positional.forEach((sub, i) => {
      if (i < value.length) {
        this.check(sub, value[i], pointer(path, i), issues);
        seen.items.add(i);
      }
    });
    const items = own(schema, "items");
    if (items !== undefined) {
      for (let i = positional.length; i < value.length; i++) {
        this.check(items as Schema, value[i], pointer(path, i), issues);
        seen.items.add(i);
      }
    }
    const contains = own(schema, "contains");
    if (contains !== undefined) {
      let count = 0;
      value.forEach((item, i) => {
        if (this.check(contains as Schema, item, pointer(path, i), []) !== null) {
          count++;
          seen.items.add(i);
        }
      });
      const minContains = own(schema, "minContains");
      const least = typeof minContains === "number" ? minContains : 1;
      const maxContains = own(schema, "maxContains");
      if (count < least) fail(`must contain at least ${least} valid item(s)`);
      if (typeof maxContains === "number" && count > maxContains) {
        fail(`must contain at most ${maxContains} valid item(s)`);
      }
    }
    const maxItems = own(schema, "maxItems");
    if (typeof maxItems === "number" && value.length > maxItems) {
      fail(`must NOT have more than ${maxItems} items`);
    }
    const minItems = own(schema, "minItems");
    if (typeof minItems === "number" && value.length < minItems) {
      fail(`must NOT have fewer than ${minItems} items`);
    }
    if (own(schema, "uniqueItems") === true) {
      const duplicate = value.some((a, i) => value.slice(i + 1).some((b) => equal(a, b)));
      if (duplicate) fail("must NOT have duplicate items");
    }
  }

  private checkObject(
    schema: SchemaObject,
    value: Record<string, unknown>,
    path: string,
    issues: ValidationIssue[],
    seen: Seen,
    merge: (other: Seen | null) => void,
  ): void {
    const keys = Object.keys(value);
    const required = own(schema, "required");
    if (Array.isArray(required)) {
      for (const name of required as string[]) {
        if (!Object.hasOwn(value, name)) issues.push({ path: pointer(path, name), message: "is required" });
      }
    }
    const dependentRequired = own(schema, "dependentRequired");
    if (isObject(dependentRequired)) {
      for (const [key, names] of Object.entries(dependentRequired)) {
        if (!Object.hasOwn(value, key)) continue;
        for (const name of names as string[]) {
          if (!Object.hasOwn(value, name)) {
            issues.push({ path: pointer(path, name), message: `is required when ${key} is present` });
          }
        }
      }
    }
    const maxProperties = own(schema, "maxProperties");
    if (typeof maxProperties === "number" && keys.length > maxProperties) {
      issues.push({ path, message: `must NOT have more than ${maxProperties} properties` });
    }
    const minProperties = own(schema, "minProperties");
    if (typeof minProperties === "number" && keys.length < minProperties) {
      issues.push({ path, message: `must NOT have fewer than ${minProperties} properties` });
    }
    const propertyNames = own(schema, "propertyNames");
    if (propertyNames !== undefined) {
      for (const key of keys) {
        if (this.check(propertyNames as Schema, key, pointer(path, key), []) === null) {
          issues.push({ path: pointer(path, key), message: "is not an allowed field name" });
        }
      }
    }
    const properties = own(schema, "properties");
    const declared = isObject(properties) ? properties : {};
    for (const [key, sub] of Object.entries(declared)) {
      if (Object.hasOwn(value, key)) {
        this.check(sub as Schema, value[key], pointer(path, key), issues);
        seen.props.add(key);
      }
    }
    const patternProperties = own(schema, "patternProperties");
    const patterns = isObject(patternProperties) ? Object.entries(patternProperties) : [];
    const additional = own(schema, "additionalProperties");
    for (const key of keys) {
      let matched = false;
      for (const [source, sub] of patterns) {
        if (matches(source, key)) {
          matched = true;
          this.check(sub as Schema, value[key], pointer(path, key), issues);
          seen.props.add(key);
        }
      }
      if (additional !== undefined && !matched && !Object.hasOwn(declared, key)) {
        if (additional === false) {
          issues.push({ path: pointer(path, key), message: "is not a known field" });
        } else {
          this.check(additional as Schema, value[key], pointer(path, key), issues);
        }
        seen.props.add(key);
      }
    }
    const dependentSchemas = own(schema, "dependentSchemas");
    if (isObject(dependentSchemas)) {
      for (const [key, sub] of Object.entries(dependentSchemas)) {
        if (Object.hasOwn(value, key)) merge(this.check(sub as Schema, value, path, issues));
      }
    }
  }

  private checkApplicators(
    schema: SchemaObject,
    value: unknown,
    path: string,
    issues: ValidationIssue[],
    merge: (other: Seen | null) => void,
    fail: (m: string) => void,
  ): void {
    const allOf = own(schema, "allOf");
    if (Array.isArray(allOf)) {
      for (const sub of allOf as Schema[]) merge(this.check(sub, value, path, issues));
    }
    const anyOf = own(schema, "anyOf");
    if (Array.isArray(anyOf)) {
      const tried = (anyOf as Schema[]).map((sub) => this.attempt(sub, value, path));
      const passed = tried.filter((t) => t.seen !== null);
      passed.forEach((t) => merge(t.seen));
      if (passed.length === 0) this.noBranch(tried, issues, path, "must match a schema in anyOf");
    }
    const oneOf = own(schema, "oneOf");
    if (Array.isArray(oneOf)) {
      const tried = (oneOf as Schema[]).map((sub) => this.attempt(sub, value, path));
      const passed = tried.filter((t) => t.seen !== null);
      if (passed.length === 1) merge(passed[0]?.seen ?? null);
      else if (passed.length === 0) this.noBranch(tried, issues, path, "must match exactly one schema in oneOf");
      else fail("must match exactly one schema in oneOf, but matches several");
    }
    const not = own(schema, "not");
    if (not !== undefined && this.check(not as Schema, value, path, []) !== null) {
      fail(isObject(not) && typeof not["description"] === "string" ? not["description"] : "must NOT be valid");
    }
    const condition = own(schema, "if");
    if (condition !== undefined) {
      const tried = this.check(condition as Schema, value, path, []);
      merge(tried);
      const branch = own(schema, tried !== null ? "then" : "else");
      if (branch !== undefined) merge(this.check(branch as Schema, value, path, issues));
    }
  }

  private attempt(sub: Schema, value: unknown, path: string): { seen: Seen | null; issues: ValidationIssue[] } {
    const issues: ValidationIssue[] = [];
    return { seen: this.check(sub, value, path, issues), issues };
  }

  /** No alternative matched: the issues of the one whose type fits, else the summary. */
  private noBranch(
    tried: { issues: ValidationIssue[] }[],
    issues: ValidationIssue[],
    path: string,
    summary: string,
  ): void {
    const plausible = tried.filter(
      (t) => !t.issues.some((i) => i.path === path && i.message.startsWith("must be ") && !i.message.startsWith("must be one of")),
    );
    if (plausible.length === 1 && (plausible[0]?.issues.length ?? 0) > 0) {
      issues.push(...(plausible[0]?.issues ?? []));
    } else {
      issues.push({ path, message: summary });
    }
  }
}

const evaluator = new Evaluator(SCHEMA_DEFS);

/** Every problem with a payload; empty when it matches its message schema. */
export function validatePayload(messageType: MessageType, payload: unknown): ValidationIssue[] {
  if (!isMessageType(messageType)) {
    throw new WorkerClientError(`unknown message type ${JSON.stringify(String(messageType))}`);
  }
  const issues: ValidationIssue[] = [];
  evaluator.check({ $ref: DEFS_PREFIX + PAYLOAD_TYPES[messageType] }, payload, "", issues);
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Throws PayloadValidationError listing every problem, or returns when the payload is valid. */
export function assertValidPayload(messageType: MessageType, payload: unknown): void {
  const issues = validatePayload(messageType, payload);
  if (issues.length > 0) {
    throw new PayloadValidationError(messageType, PAYLOAD_TYPES[messageType], issues);
  }
}
