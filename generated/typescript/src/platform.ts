// Copied as it is from worker-client-gen's runtime (generator/runtime/typescript/src/).
//
// The few runtime globals the client uses, typed here so the package needs neither the DOM
// lib nor @types/node: global fetch and AbortController (Node 18+, Deno, Bun, browsers),
// timers, a monotonic clock, Web Crypto and process.env when present.

import { MAX_ANSWER_BYTES } from "./constants.js";

interface BodyReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(): Promise<void>;
}

/** The part of a fetch Response the client reads. */
export interface PlatformResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  readonly body: { getReader(): BodyReader } | null;
}

interface PlatformRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: unknown;
  redirect: "manual";
}

interface Platform {
  fetch?: (url: string, init: PlatformRequestInit) => Promise<PlatformResponse>;
  AbortController?: new () => { readonly signal: unknown; abort(): void };
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  crypto?: { randomUUID?: () => string };
  TextDecoder: new () => { decode(input?: Uint8Array, options?: { stream?: boolean }): string };
  process?: { env?: Record<string, string | undefined> };
  performance?: { now(): number };
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
  /** At most MAX_ANSWER_BYTES of the body, decoded as UTF-8. */
  readonly text: string;
  /** The body went on beyond MAX_ANSWER_BYTES. */
  readonly truncated: boolean;
}

/**
 * One HTTP exchange, body read (up to MAX_ANSWER_BYTES), the whole of it bounded by
 * `timeoutMs`. Redirects are never followed: a 3xx is returned as it is, so the body never
 * goes anywhere but `url`. Rejects with DeadlineExceeded when the deadline passed, otherwise
 * with the fetch error.
 */
export async function fetchWithTimeout(
  url: string,
  init: Omit<PlatformRequestInit, "signal" | "redirect">,
  timeoutMs: number,
): Promise<FetchOutcome> {
  const controller = new runtime.AbortController!();
  let timedOut = false;
  const timer = runtime.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const response = await runtime.fetch!(url, {
      ...init,
      signal: controller.signal,
      redirect: "manual",
    });
    const { text, truncated } = await readCapped(response);
    return {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      text,
      truncated,
    };
  } catch (error) {
    throw timedOut ? new DeadlineExceeded() : error;
  } finally {
    runtime.clearTimeout(timer);
  }
}

async function readCapped(response: PlatformResponse): Promise<{ text: string; truncated: boolean }> {
  if (response.body === null) {
    return { text: "", truncated: false };
  }
  const reader = response.body.getReader();
  const decoder = new runtime.TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done || value === undefined) {
      return { text: text + decoder.decode(), truncated: false };
    }
    const room = MAX_ANSWER_BYTES - size;
    if (value.length > room) {
      text += decoder.decode(value.subarray(0, room));
      await reader.cancel();
      return { text, truncated: true };
    }
    size += value.length;
    text += decoder.decode(value, { stream: true });
  }
}

/** The reason fetchWithTimeout gave up: the deadline, not the network. */
export class DeadlineExceeded extends Error {}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    runtime.setTimeout(resolve, ms);
  });
}

/** Milliseconds on a clock that only goes forward (Date.now where there is none). */
export function monotonicNow(): number {
  const clock = runtime.performance;
  return clock && typeof clock.now === "function" ? clock.now() : Date.now();
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
