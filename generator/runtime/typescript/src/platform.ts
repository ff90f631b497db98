// Copied as it is from worker-client-gen's runtime (generator/runtime/typescript/src/).
//
// The few runtime globals the client uses, typed here so the package needs neither the DOM
// lib nor @types/node: global fetch and AbortController (Node 18+, Deno, Bun, browsers),
// timers, Web Crypto and process.env when present.

/** The part of a fetch Response the client reads. */
export interface PlatformResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

interface PlatformRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: unknown;
}

interface Platform {
  fetch?: (url: string, init: PlatformRequestInit) => Promise<PlatformResponse>;
  AbortController?: new () => { readonly signal: unknown; abort(): void };
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  crypto?: { randomUUID?: () => string };
  process?: { env?: Record<string, string | undefined> };
}

const runtime = globalThis as unknown as Platform;

/** Throws when the runtime has no global fetch/AbortController (Node < 18). */
export function requireFetch(): void {
  if (typeof runtime.fetch !== "function" || typeof runtime.AbortController !== "function") {
    throw new TypeError(
      "WorkerClient needs a global fetch and AbortController (Node.js 18 or later)",
    );
  }
}

export interface FetchOutcome {
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  readonly text: string;
}

/**
 * One HTTP exchange, body read in full, bounded by `timeoutMs`. Rejects with
 * `{ timedOut: true }` when the deadline passed, otherwise with the fetch error.
 */
export async function fetchWithTimeout(
  url: string,
  init: Omit<PlatformRequestInit, "signal">,
  timeoutMs: number,
): Promise<FetchOutcome> {
  const controller = new runtime.AbortController!();
  let timedOut = false;
  const timer = runtime.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const response = await runtime.fetch!(url, { ...init, signal: controller.signal });
    const text = await response.text();
    return {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      text,
    };
  } catch (error) {
    throw timedOut ? new DeadlineExceeded() : error;
  } finally {
    runtime.clearTimeout(timer);
  }
}

/** The reason fetchWithTimeout gave up: the deadline, not the network. */
export class DeadlineExceeded extends Error {}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    runtime.setTimeout(resolve, ms);
  });
}

export function readEnv(name: string): string | undefined {
  const value = runtime.process?.env?.[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** A random UUID v4 (Web Crypto, else node:crypto on Node 18 without the global). */
export async function randomUUID(): Promise<string> {
  const webCrypto = runtime.crypto;
  if (webCrypto && typeof webCrypto.randomUUID === "function") {
    return webCrypto.randomUUID();
  }
  // A specifier held in a variable keeps the type checker from needing @types/node.
  const specifier: string = "node:crypto";
  const nodeCrypto = (await import(specifier)) as { randomUUID(): string };
  return nodeCrypto.randomUUID();
}
