// Copied as it is from worker-client-gen's runtime (generator/runtime/typescript/src/).
//
// Secrets never leave the client in a log line or an error: the api key and every string
// found under a credential-like payload field are replaced by REDACTED in any text (or
// response body) before it reaches a logger or an error. A server that echoes a request back
// in its error body therefore cannot leak them either.

import {
  MIN_SECRET_LENGTH,
  REDACTED,
  SECRET_FIELD_NAMES,
  SECRET_NAME_PATTERN,
} from "./constants.js";

/** Fields the schemas mark secret (x-secret, or a credential-like name). */
const SECRET_FIELDS: ReadonlySet<string> = new Set<string>(SECRET_FIELD_NAMES);

/** Credential-like names (the generator's own rule), for keys the schemas do not list. */
const SECRET_NAME = new RegExp(SECRET_NAME_PATTERN, "i");

export { REDACTED };

/** Whether a payload key holds a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_FIELDS.has(key) || SECRET_NAME.test(key);
}

/** Every string (and number) found below a secret key of the payload. */
export function secretValues(payload: unknown): string[] {
  const found = new Set<string>();
  const collectAll = (value: unknown): void => {
    if (typeof value === "string") {
      found.add(value);
    } else if (typeof value === "number" || typeof value === "bigint") {
      found.add(String(value));
    } else if (Array.isArray(value)) {
      value.forEach(collectAll);
    } else if (value !== null && typeof value === "object") {
      Object.values(value).forEach(collectAll);
    }
  };
  const walk = (value: unknown, depth: number): void => {
    if (depth > 64 || value === null || typeof value !== "object") {
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item) => walk(item, depth + 1));
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (isSecretKey(key)) {
        collectAll(child);
      } else {
        walk(child, depth + 1);
      }
    }
  };
  walk(payload, 0);
  return [...found]; // the Redactor drops the ones too short to search for
}

/** Replaces secret strings in text and (deeply) in JSON-like values. */
export class Redactor {
  readonly #secrets: readonly string[];

  constructor(secrets: readonly (string | undefined)[]) {
    const usable = secrets.filter(
      (s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH,
    );
    // Longest first, so a secret that contains another is replaced whole.
    this.#secrets = [...new Set(usable)].sort((a, b) => b.length - a.length);
  }

  text(text: string): string {
    let out = text;
    for (const secret of this.#secrets) {
      out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  value(value: unknown, depth = 0): unknown {
    if (typeof value === "string") {
      return this.text(value);
    }
    if (depth > 64 || value === null || typeof value !== "object") {
      return value;
    }
    if (Array.isArray(value)) {
      return value.map((item) => this.value(item, depth + 1));
    }
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      // defineProperty, not assignment: a "__proto__" key stays a plain key.
      Object.defineProperty(out, this.text(key), {
        value: isSecretKey(key) ? REDACTED : this.value(child, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
}
