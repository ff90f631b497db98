// Copied as it is from worker-client-gen's runtime (generator/runtime/typescript/src/).
//
// BaseWorkerClient: the transport (headers, timeout, retries, error mapping, redaction) is
// written once in #request; waitFor polls getJobStatus. WorkerClient (client.ts) extends it with one method per message
// type, each a one-line call of sendToQueue.

import {
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  ERROR_EXCERPT_CHARS,
  INITIAL_RETRY_DELAY_MS,
  JITTER,
  JOB_FAILED,
  JOB_RESPONSE_SHAPE,
  JOB_STATUS_SHAPE,
  MAX_RETRY_AFTER_MS,
  MAX_RETRY_DELAY_MS,
  POLL_FACTOR,
  POLL_INITIAL_DELAY_MS,
  POLL_MAX_DELAY_MS,
  REQUEST_ID_HEADER,
  RETRY_AFTER_SECONDS,
  RETRY_SERVER_ERRORS_FROM,
  RETRY_STATUSES,
  TERMINAL_STATES,
  VERSION,
  type Shape,
} from "./constants.js";
import {
  APIConnectionError,
  APIResponseValidationError,
  APIStatusError,
  APITimeoutError,
  JobFailedError,
  WaitTimeoutError,
  WorkerClientError,
} from "./errors.js";
import { isMessageType, type MessagePayloads, type MessageType } from "./messageTypes.js";
import {
  DeadlineExceeded,
  fetchWithTimeout,
  monotonicNow,
  randomUUID,
  readEnv,
  requireFetch,
  sleep,
  type FetchOutcome,
} from "./platform.js";
import type { JobOptions, JobResponse, JobStatus } from "./responses.js";
import { Redactor, secretValues } from "./secrets.js";
import { statusErrorClass } from "./statusErrors.js";
import { assertValidPayload } from "./validation.js";

const USER_AGENT = `mesh-sync-worker-backend-client/${VERSION} (typescript)`;

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
  /** Milliseconds an attempt may take in all (a deadline, not a per-read limit). Default: 30000. */
  timeout?: number;
  /** Retries after connection errors, timeouts and retryable statuses (README: retries). Default: 2. */
  maxRetries?: number;
  /** Validate payloads against their schema before sending. Default: true. */
  validate?: boolean;
  /** Where to send debug/warn lines. Default: nowhere. */
  logger?: Logger;
}

/** Per-call overrides of the client's settings. */
export interface RequestOptions {
  /** Milliseconds this call's attempts may each take in all. */
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
  readonly shape: Shape;
}

/** What one attempt came to: an answer, or no answer at all. */
type Attempt =
  | { readonly answer: FetchOutcome }
  | { readonly failure: APIConnectionError; readonly reason: string };

// Each client's api key, for this package's QueueWorker only (it redacts a failed job's
// reason with it): index.ts does not export secretsOf, and the key stays off the instance.
const API_KEYS = new WeakMap<BaseWorkerClient, string>();

/** The secrets a client holds (its api key), for redacting what the worker stores. */
export function secretsOf(client: BaseWorkerClient | undefined): string[] {
  const key = client === undefined ? undefined : API_KEYS.get(client);
  return key === undefined ? [] : [key];
}

/** sendToQueue, getJobStatus and waitFor; WorkerClient adds one method per message type. */
export class BaseWorkerClient {
  /** The backend URL requests go to (without a trailing slash). */
  readonly baseUrl: string;
  /** Milliseconds an attempt may take in all. */
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
    if (this.#apiKey !== undefined) {
      API_KEYS.set(this, this.#apiKey);
    }
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
      shape: JOB_RESPONSE_SHAPE,
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
      shape: JOB_STATUS_SHAPE,
    });
  }

  /**
   * Waits until the job has finished, polling its status with backoff. Resolves to its status
   * once it completed (`returnvalue` is the result); throws JobFailedError (with the failure
   * reason, secrets redacted) when it failed, WaitTimeoutError when it is not finished after
   * `timeout` milliseconds, and JobNotFoundError when there is no such job.
   */
  async waitFor(jobId: string, timeout: number): Promise<JobStatus> {
    if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0) {
      throw new WorkerClientError("timeout must be a positive number of milliseconds");
    }
    const deadline = monotonicNow() + timeout;
    let delay = POLL_INITIAL_DELAY_MS;
    for (;;) {
      const status = await this.getJobStatus(jobId);
      if (TERMINAL_STATES.has(status.state)) {
        if (status.state === JOB_FAILED) {
          // The worker's words may quote the job's data: its secrets are removed too.
          throw jobFailed(status, new Redactor([this.#apiKey, ...secretValues(status.data)]));
        }
        return status;
      }
      const left = deadline - monotonicNow();
      if (left <= 0) {
        throw waitTimedOut(jobId, timeout, status.state, new Redactor([this.#apiKey]));
      }
      await sleep(Math.min(delay, left));
      delay = Math.min(delay * POLL_FACTOR, POLL_MAX_DELAY_MS);
    }
  }

  async #request<R>(exchange: Exchange): Promise<R> {
    const { method, path, redactor } = exchange;
    const label = `${method} ${path}`;
    const timeout = checkedNumber("timeout", exchange.options?.timeout, this.timeout, 1);
    const maxRetries = checkedNumber(
      "maxRetries",
      exchange.options?.maxRetries,
      this.maxRetries,
      0,
    );
    const headers: Record<string, string> = {
      Accept: "application/json",
      "User-Agent": USER_AGENT,
    };
    if (exchange.body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
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
      this.#log("debug", redactor, `${label}: attempt ${attempt} of ${attempts}`);
      const tried = await this.#attempt(label, this.baseUrl + path, init, timeout, redactor);
      let error: WorkerClientError;
      let reason: string;
      let wait: number | undefined;
      if ("failure" in tried) {
        error = tried.failure;
        reason = tried.reason;
      } else {
        const answer = tried.answer;
        const body = parseBody(answer.text);
        if (answer.status >= 200 && answer.status < 300) {
          return checkedAnswer<R>(label, answer, body, exchange.shape);
        }
        if (!isRetryable(answer.status)) {
          throw this.#statusError(exchange, answer, body);
        }
        error = this.#statusError(exchange, answer, body);
        reason = `HTTP ${answer.status}`;
        wait = retryAfterMs(answer.headers.get("retry-after"));
      }
      if (attempt >= attempts) {
        throw error;
      }
      const delay = wait ?? backoffMs(attempt);
      this.#log(
        "warn",
        redactor,
        `${label}: ${reason}; retrying in ${(delay / 1000).toFixed(2)}s ` +
          `(attempt ${attempt + 1} of ${attempts})`,
      );
      await sleep(delay);
    }
  }

  async #attempt(
    label: string,
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string },
    timeout: number,
    redactor: Redactor,
  ): Promise<Attempt> {
    try {
      return { answer: await fetchWithTimeout(url, init, timeout) };
    } catch (cause) {
      if (cause instanceof DeadlineExceeded) {
        const failure = new APITimeoutError(
          `${label} timed out: no complete answer within ${timeout} ms`,
        );
        return { failure, reason: "timed out" };
      }
      const failure = new APIConnectionError(
        redactor.text(`${label} could not connect: ${excerpt(describe(cause))}`),
        { cause },
      );
      return { failure, reason: "connection failed" };
    }
  }

  #statusError(exchange: Exchange, answer: FetchOutcome, body: ParsedBody): APIStatusError {
    const { method, path, redactor, jobLookup } = exchange;
    let message = `${method} ${path} failed with HTTP ${answer.status}`;
    if (answer.status >= 300 && answer.status < 400) {
      message += " (a redirect, which the client never follows)";
    }
    const said = serverMessage(body).trim();
    if (said !== "") {
      message += `: ${excerpt(said)}`;
    }
    const requestId = answer.headers.get(REQUEST_ID_HEADER) ?? undefined;
    if (requestId !== undefined && requestId !== "") {
      message += ` (request id ${excerpt(requestId)})`;
    }
    const ErrorClass = statusErrorClass(answer.status, jobLookup);
    return new ErrorClass(
      redactor.text(message),
      answer.status,
      redactor.value(body.json ?? body.text),
      requestId === undefined ? undefined : redactor.text(requestId),
    );
  }

  #log(level: "debug" | "warn", redactor: Redactor, message: string): void {
    const sink = this.#logger?.[level];
    if (typeof sink === "function") {
      sink.call(this.#logger, redactor.text(message));
    }
  }
}

/** The 2xx answer's body when it has the contract's shape; APIResponseValidationError if not. */
function checkedAnswer<R>(label: string, answer: FetchOutcome, body: ParsedBody, shape: Shape): R {
  const problem = answer.truncated ? "too long" : shapeProblem(body, shape);
  if (problem !== undefined) {
    throw new APIResponseValidationError(`${label}: unexpected response body (${problem})`);
  }
  return body.json as R;
}

function shapeProblem(body: ParsedBody, shape: Shape): string | undefined {
  const json = body.json;
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return body.json === undefined ? "not JSON" : `expected a JSON object, got ${jsonType(json)}`;
  }
  const fields = json as Record<string, unknown>;
  const missing = Object.keys(shape).filter((name) => shape[name]![0] && !(name in fields));
  if (missing.length > 0) {
    return `missing ${missing.join(", ")}`;
  }
  for (const [name, [, kinds]] of Object.entries(shape)) {
    if (name in fields && kinds.length > 0) {
      const kind = jsonType(fields[name]);
      if (!kinds.includes(kind) && !(kind === "integer" && kinds.includes("number"))) {
        return `${name} is ${kind}, not ${kinds.join(" or ")}`;
      }
    }
  }
  return undefined;
}

function jsonType(value: unknown): string {
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return "array";
  }
  if (typeof value === "number") {
    return Number.isInteger(value) ? "integer" : "number";
  }
  return typeof value;
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

/** The server's own words from a NestJS-style error body (message and details), else the text. */
function serverMessage(body: ParsedBody): string {
  const json = body.json;
  if (json !== null && typeof json === "object" && !Array.isArray(json)) {
    const fields = json as Record<string, unknown>;
    const message = fields["message"];
    let said = "";
    if (typeof message === "string") {
      said = message;
    } else if (Array.isArray(message)) {
      said = message.map((m) => String(m)).join("; ");
    }
    const details = fields["details"];
    if (Array.isArray(details)) {
      for (const detail of details) {
        if (detail !== null && typeof detail === "object" && !Array.isArray(detail)) {
          const d = detail as Record<string, unknown>;
          said += `\n  ${String(d["path"] ?? "")}: ${String(d["message"] ?? "")}`;
        }
      }
    }
    return said;
  }
  return typeof json === "string" ? json : (body.text ?? "");
}

/** The error for a job that failed; `redactor` knows the api key and the job data's secrets. */
function jobFailed(status: JobStatus, redactor: Redactor): JobFailedError {
  const jobId = redactor.text(status.jobId);
  const given = status.failedReason;
  const reason = typeof given === "string" ? excerpt(redactor.text(given)) : null;
  let message = `job ${JSON.stringify(jobId)} failed`;
  const attempts = status.attemptsMade;
  if (typeof attempts === "number" && attempts > 0) {
    message += ` after ${attempts} ${attempts === 1 ? "attempt" : "attempts"}`;
  }
  message += reason !== null && reason.trim() !== "" ? `: ${reason}` : " (no reason given)";
  return new JobFailedError(message, jobId, reason);
}

function waitTimedOut(
  jobId: string,
  timeout: number,
  state: string,
  redactor: Redactor,
): WaitTimeoutError {
  const shown = redactor.text(jobId);
  const last = redactor.text(state);
  const message = `job ${JSON.stringify(shown)} is still ${last} after ${timeout} ms`;
  return new WaitTimeoutError(message, shown, timeout, last);
}

/** At most ERROR_EXCERPT_CHARS of a text an answer supplied. */
function excerpt(text: string): string {
  if (text.length <= ERROR_EXCERPT_CHARS) {
    return text;
  }
  const more = text.length - ERROR_EXCERPT_CHARS;
  return `${text.slice(0, ERROR_EXCERPT_CHARS)}... (${more} more characters)`;
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
  return RETRY_STATUSES.has(status) || status >= RETRY_SERVER_ERRORS_FROM;
}

/** INITIAL_RETRY_DELAY_MS doubling per retry, capped, minus up to JITTER of it at random. */
function backoffMs(retry: number): number {
  const base = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** (retry - 1), MAX_RETRY_DELAY_MS);
  return Math.round(base * (1 - Math.random() * JITTER));
}

/** Retry-After in seconds or as an HTTP date (a past one is 0), capped; undefined when absent or bad. */
function retryAfterMs(header: string | null): number | undefined {
  const value = (header ?? "").trim();
  if (value === "") {
    return undefined;
  }
  let ms: number;
  if (RETRY_AFTER_SECONDS.test(value)) {
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
