// Copied as it is from worker-client-gen's runtime (generator/runtime/typescript/src/).
//
// BaseWorkerClient: the transport (headers, timeout, retries, error mapping, redaction) is
// written once in #request. WorkerClient (client.ts) extends it with one method per message
// type, each a one-line call of sendToQueue.

import {
  APIConnectionError,
  APIStatusError,
  APITimeoutError,
  WorkerClientError,
  statusErrorClass,
} from "./errors.js";
import { VERSION } from "./constants.js";
import {
  isMessageType,
  type MessagePayloads,
  type MessageType,
} from "./messageTypes.js";
import {
  DeadlineExceeded,
  fetchWithTimeout,
  randomUUID,
  readEnv,
  requireFetch,
  sleep,
  type FetchOutcome,
} from "./platform.js";
import type { JobResponse, JobStatus } from "./responses.js";
import { Redactor, secretValues } from "./secrets.js";
import { assertValidPayload } from "./validation.js";

const USER_AGENT = `mesh-sync-worker-backend-client/${VERSION} (typescript)`;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 2;
const INITIAL_RETRY_DELAY_MS = 500;
const MAX_RETRY_DELAY_MS = 8_000;
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Receives one debug line per attempt and one warn line per retry. Lines name the method,
 * path, attempt and status; never a header, a payload or a secret.
 */
export interface Logger {
  debug?(message: string): void;
  warn?(message: string): void;
}

/** Options of `new WorkerClient(config)`. */
export interface WorkerClientConfig {
  /** Worker backend URL, e.g. "http://localhost:3000". Default: env WORKER_BACKEND_URL. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <apiKey>`. Default: env WORKER_BACKEND_API_KEY. */
  apiKey?: string;
  /** Per-attempt timeout in milliseconds. Default: 30000. */
  timeout?: number;
  /** Retries after connection errors, timeouts, 408, 429 and 5xx. Default: 2. */
  maxRetries?: number;
  /** Validate payloads against their schema before sending. Default: true. */
  validate?: boolean;
  /** Where to send debug/warn lines. Default: nowhere. */
  logger?: Logger;
}

/**
 * BullMQ job options, sent as `opts`. `jobId` is always sent: yours, or a UUID generated once
 * per call and reused for every retry of that call, so a retry can never enqueue twice.
 */
export interface JobOptions {
  jobId?: string;
  priority?: number;
  /** Milliseconds to wait before the job may be processed. */
  delay?: number;
  attempts?: number;
  backoff?: number | { type: string; delay?: number };
  lifo?: boolean;
  removeOnComplete?: boolean | number | { age?: number; count?: number };
  removeOnFail?: boolean | number | { age?: number; count?: number };
  /** Any other BullMQ option. */
  [option: string]: unknown;
}

/** Per-call overrides of the client's settings. */
export interface RequestOptions {
  /** Per-attempt timeout in milliseconds. */
  timeout?: number;
  maxRetries?: number;
  validate?: boolean;
}

interface Exchange {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly body?: unknown;
  readonly options: RequestOptions | undefined;
  readonly redactor: Redactor;
  readonly jobLookup: boolean;
}

/** sendToQueue and getJobStatus; WorkerClient adds one method per message type. */
export class BaseWorkerClient {
  /** The backend URL requests go to (without a trailing slash). */
  readonly baseUrl: string;
  /** Per-attempt timeout in milliseconds. */
  readonly timeout: number;
  readonly maxRetries: number;
  readonly validate: boolean;
  // Private fields: invisible to console.log, util.inspect, JSON.stringify and Object.keys.
  readonly #apiKey: string | undefined;
  readonly #logger: Logger | undefined;

  constructor(config: WorkerClientConfig = {}) {
    requireFetch();
    const baseUrl = config.baseUrl ?? readEnv("WORKER_BACKEND_URL");
    if (baseUrl === undefined || baseUrl.trim() === "") {
      throw new WorkerClientError(
        "no worker backend URL: pass { baseUrl } to new WorkerClient() or set WORKER_BACKEND_URL",
      );
    }
    this.baseUrl = normalizeBaseUrl(baseUrl);
    this.timeout = checkedNumber("timeout", config.timeout, DEFAULT_TIMEOUT_MS, 1);
    this.maxRetries = checkedNumber("maxRetries", config.maxRetries, DEFAULT_MAX_RETRIES, 0);
    this.validate = config.validate ?? true;
    const apiKey = config.apiKey ?? readEnv("WORKER_BACKEND_API_KEY");
    this.#apiKey = apiKey === undefined || apiKey === "" ? undefined : apiKey;
    this.#logger = config.logger;
  }

  /**
   * Enqueues a job: POST /api/jobs/{messageType} with `{ payload, opts }`. The payload is
   * validated first (unless `validate: false`); `opts.jobId` is yours or generated once.
   */
  async sendToQueue<K extends MessageType>(
    messageType: K,
    payload: MessagePayloads[K],
    opts?: JobOptions,
    options?: RequestOptions,
  ): Promise<JobResponse> {
    if (!isMessageType(messageType)) {
      throw new WorkerClientError(`unknown message type ${JSON.stringify(String(messageType))}`);
    }
    if (options?.validate ?? this.validate) {
      assertValidPayload(messageType, payload);
    }
    const jobId = opts?.jobId ?? (await randomUUID());
    return this.#request<JobResponse>({
      method: "POST",
      path: `/api/jobs/${messageType}`,
      body: { payload, opts: { ...opts, jobId } },
      options,
      redactor: new Redactor([this.#apiKey, ...secretValues(payload)]),
      jobLookup: false,
    });
  }

  /** The state of a job: GET /api/jobs/{jobId}. Throws JobNotFoundError for an unknown id. */
  async getJobStatus(jobId: string, options?: RequestOptions): Promise<JobStatus> {
    if (typeof jobId !== "string" || jobId === "") {
      throw new WorkerClientError("jobId must be a non-empty string");
    }
    return this.#request<JobStatus>({
      method: "GET",
      path: `/api/jobs/${encodeURIComponent(jobId)}`,
      options,
      redactor: new Redactor([this.#apiKey]),
      jobLookup: true,
    });
  }

  async #request<R>(exchange: Exchange): Promise<R> {
    const { method, path, redactor } = exchange;
    const timeout = checkedNumber("timeout", exchange.options?.timeout, this.timeout, 1);
    const maxRetries = checkedNumber(
      "maxRetries",
      exchange.options?.maxRetries,
      this.maxRetries,
      0,
    );
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      Accept: "application/json",
      "User-Agent": USER_AGENT,
    };
    if (this.#apiKey !== undefined) {
      headers["Authorization"] = `Bearer ${this.#apiKey}`;
    }
    const init = {
      method,
      headers,
      ...(exchange.body === undefined ? {} : { body: JSON.stringify(exchange.body) }),
    };
    const attempts = maxRetries + 1;
    for (let attempt = 1; ; attempt++) {
      this.#log("debug", redactor, `${method} ${path} attempt ${attempt}/${attempts}`);
      let outcome: FetchOutcome;
      try {
        outcome = await fetchWithTimeout(this.baseUrl + path, init, timeout);
      } catch (cause) {
        const error =
          cause instanceof DeadlineExceeded
            ? new APITimeoutError(`${method} ${path} timed out after ${timeout} ms`)
            : new APIConnectionError(
                redactor.text(`${method} ${path}: connection failed: ${describe(cause)}`),
                { cause },
              );
        if (attempt < attempts) {
          const wait = backoffMs(attempt);
          const next = `attempt ${attempt + 1}/${attempts}`;
          this.#log("warn", redactor, `${error.message}; retrying in ${wait} ms (${next})`);
          await sleep(wait);
          continue;
        }
        throw error;
      }

      const body = parseBody(outcome.text);
      if (outcome.status >= 200 && outcome.status < 300) {
        if (body.json === undefined) {
          throw new WorkerClientError(
            `${method} ${path}: the ${outcome.status} response is not JSON`,
          );
        }
        return body.json as R;
      }

      const error = this.#statusError(exchange, outcome, body);
      if (attempt < attempts && isRetryable(outcome.status)) {
        const retryAfter = retryAfterMs(outcome.headers.get("retry-after"));
        const wait = retryAfter ?? backoffMs(attempt);
        const why = retryAfter === undefined ? "" : ", per Retry-After";
        this.#log(
          "warn",
          redactor,
          `${method} ${path} answered ${outcome.status}; retrying in ${wait} ms ` +
            `(attempt ${attempt + 1}/${attempts}${why})`,
        );
        await sleep(wait);
        continue;
      }
      throw error;
    }
  }

  #statusError(exchange: Exchange, outcome: FetchOutcome, body: ParsedBody): APIStatusError {
    const { method, path, redactor, jobLookup } = exchange;
    const reason = outcome.statusText || "";
    const detail = serverMessage(body);
    const message = redactor.text(
      `${method} ${path} failed with ${outcome.status}${reason ? ` ${reason}` : ""}` +
        (detail ? `: ${detail}` : ""),
    );
    const ErrorClass = statusErrorClass(outcome.status, jobLookup);
    const requestId = outcome.headers.get("x-request-id") ?? undefined;
    return new ErrorClass(
      message,
      outcome.status,
      redactor.value(body.json ?? body.text),
      requestId === undefined ? undefined : redactor.text(requestId),
    );
  }

  #log(level: "debug" | "warn", redactor: Redactor, message: string): void {
    const sink = this.#logger?.[level];
    if (typeof sink === "function") {
      sink.call(this.#logger, redactor.text(`[worker-backend-client] ${message}`));
    }
  }
}

/** scheme://host[:port][/path] without query, fragment, credentials or trailing slash. */
function normalizeBaseUrl(raw: string): string {
  const match = /^(https?):\/\/([^/?#\s]+)([^?#\s]*)$/i.exec(raw.trim());
  if (match === null) {
    // The value itself stays out of the message: it may hold credentials.
    throw new WorkerClientError("baseUrl must be an absolute http(s) URL without query");
  }
  const [, scheme = "", authority = "", path = ""] = match;
  if (authority.includes("@")) {
    throw new WorkerClientError("baseUrl must not contain credentials; use apiKey");
  }
  return `${scheme.toLowerCase()}://${authority}${path}`.replace(/\/+$/, "");
}

function checkedNumber(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
): number {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new WorkerClientError(`${name} must be a number >= ${min}`);
  }
  return Math.floor(value);
}

interface ParsedBody {
  readonly text: string | undefined;
  readonly json: unknown;
}

function parseBody(text: string): ParsedBody {
  if (text === "") {
    return { text: undefined, json: undefined };
  }
  try {
    return { text, json: JSON.parse(text) as unknown };
  } catch {
    return { text, json: undefined };
  }
}

/** The server's own words from a NestJS-style error body, or a bounded excerpt of the text. */
function serverMessage(body: ParsedBody): string {
  const json = body.json;
  if (json !== null && typeof json === "object" && !Array.isArray(json)) {
    const message = (json as Record<string, unknown>)["message"];
    if (typeof message === "string") {
      return message;
    }
    if (Array.isArray(message)) {
      return message.map((m) => String(m)).join("; ");
    }
  }
  const text = body.text ?? "";
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}

/** "fetch failed (ECONNREFUSED)": the error and, when fetch wrapped one, its underlying code. */
function describe(cause: unknown): string {
  if (!(cause instanceof Error)) {
    return String(cause);
  }
  const inner: unknown = (cause as { cause?: unknown }).cause;
  if (inner instanceof Error) {
    const code = (inner as { code?: unknown }).code;
    return `${cause.message} (${typeof code === "string" ? code : inner.message})`;
  }
  return cause.message;
}

function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** 0.5 s doubling per attempt, capped at 8 s, minus up to 25 % jitter. */
function backoffMs(attempt: number): number {
  const base = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
  return Math.round(base * (1 - Math.random() * 0.25));
}

/** Retry-After in seconds or as an HTTP date, capped at 60 s; undefined when absent or bad. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === "") {
    return undefined;
  }
  const value = header.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(value)) {
    ms = Number(value) * 1000;
  } else {
    const date = Date.parse(value);
    if (Number.isNaN(date)) {
      return undefined;
    }
    ms = date - Date.now();
  }
  return Math.min(Math.max(0, Math.ceil(ms)), MAX_RETRY_AFTER_MS);
}
