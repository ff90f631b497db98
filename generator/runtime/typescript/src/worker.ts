/// <reference types="node" />
// The consuming side of the queues: BullMQ workers with one typed handler per message type.
// Imported as "@mesh-sync/worker-backend-client/worker"; needs the optional peer dependency
// bullmq (and a Redis client for it, such as ioredis). The main entry point never loads it.
//
// Every job's data is validated against its message schema before its handler runs. A job
// whose data is invalid fails at once (unrecoverable: retrying the same data cannot help)
// with a reason naming the JSON pointer of every offending field, and its handler never runs.
// What a handler returns becomes the job's return value. `run()` stops on SIGTERM or SIGINT
// once the jobs in progress have finished.

import {
  UnrecoverableError,
  Worker,
  type ConnectionOptions,
  type Job,
  type WorkerOptions,
} from "bullmq";

import type { JobOptions } from "./responses.js";
import type { WorkerClient } from "./client.js";
import { secretsOf } from "./baseClient.js";
import { COMPLETIONS } from "./completions.js";
import { PayloadValidationError, WorkerClientError } from "./errors.js";
import { isMessageType, type MessagePayloads, type MessageType } from "./messageTypes.js";
import type { JobResponse } from "./responses.js";
import { PAYLOAD_TYPES } from "./schemas.js";
import { Redactor, secretValues } from "./secrets.js";
import { validatePayload } from "./validation.js";

/** The message type whose job a worker of K sends when it is done; never when there is none. */
export type CompletionType<K extends MessageType> = K extends keyof typeof COMPLETIONS
  ? (typeof COMPLETIONS)[K]
  : never;

/** The job a handler is processing. */
export interface JobContext<K extends MessageType> {
  readonly id: string;
  readonly messageType: K;
  /** Attempts started before this one. */
  readonly attemptsMade: number;
  /** The BullMQ job, for anything this interface does not cover. */
  readonly job: Job;
  /** Report progress; getJobStatus(...).progress shows it. */
  updateProgress(progress: number | object): Promise<void>;
  /** Add a line to the job's BullMQ log, with secret payload values removed. */
  log(text: string): Promise<void>;
  /**
   * Enqueue the message that reports this job's outcome, through the worker's client. Its
   * jobId defaults to `<completion type>-<this job's id>`, so a retried handler that sends
   * again still leaves one completion job.
   */
  sendCompletion(
    payload: MessagePayloads[CompletionType<K>],
    opts?: JobOptions,
  ): Promise<JobResponse>;
}

/** Called with the validated payload; what it returns (or resolves to) is the return value. */
export type Handler<K extends MessageType> = (
  payload: MessagePayloads[K],
  job: JobContext<K>,
) => unknown;

/** At most one handler per message type, each typed for its message. */
export type Handlers = { [K in MessageType]?: Handler<K> };

/** Receives the worker's log lines; `console` will do. Lines never hold payloads or secrets. */
export interface WorkerLogger {
  debug?(message: string): void;
  info?(message: string): void;
  warn?(message: string): void;
  error?(message: string): void;
}

export interface QueueWorkerOptions {
  handlers: Handlers;
  /** How BullMQ reaches Redis; under ESM a constructed client (`new Redis(url, ...)`). */
  connection: ConnectionOptions;
  /** The BullMQ key prefix the producers use. Default "bull". */
  prefix?: string;
  /** Jobs each queue processes at once. Default 1. */
  concurrency?: number;
  /** What sendCompletion sends through. */
  client?: WorkerClient;
  logger?: WorkerLogger;
  /** Stop on SIGTERM and SIGINT (after the active jobs). Default true. */
  stopOnSignals?: boolean;
  /** Further BullMQ worker options, passed as they are. */
  workerOptions?: Omit<WorkerOptions, "connection" | "prefix" | "concurrency" | "autorun">;
}

const SIGNALS = ["SIGTERM", "SIGINT"] as const;

/** One BullMQ worker per message type that has a handler. */
export class QueueWorker {
  readonly messageTypes: readonly MessageType[];
  readonly #options: QueueWorkerOptions;
  readonly #workers: Worker[] = [];
  #stopped: Promise<void> | undefined;
  #stop: (() => void) | undefined;

  constructor(options: QueueWorkerOptions) {
    const types = Object.keys(options.handlers);
    const unknown = types.filter((t) => !isMessageType(t));
    if (unknown.length > 0) {
      throw new WorkerClientError(`no such message type: ${unknown.sort().join(", ")}`);
    }
    if (types.length === 0) {
      throw new WorkerClientError("QueueWorker needs at least one handler");
    }
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new WorkerClientError(`concurrency must be an integer >= 1, got ${concurrency}`);
    }
    this.messageTypes = types as MessageType[];
    this.#options = options;
  }

  /** Consume until close() or a signal; resolves once the active jobs have finished. */
  async run(): Promise<void> {
    if (this.#stopped !== undefined) {
      throw new WorkerClientError("QueueWorker.run() was called already");
    }
    this.#stopped = new Promise<void>((resolve) => {
      this.#stop = resolve;
    });
    const onSignal = (signal: NodeJS.Signals): void => {
      this.#log("info", `${signal}: finishing the active jobs, taking no new ones`);
      this.#stop?.();
    };
    const watch = this.#options.stopOnSignals ?? true;
    if (watch) {
      for (const signal of SIGNALS) process.on(signal, onSignal);
    }
    try {
      for (const messageType of this.messageTypes) {
        const worker = new Worker(messageType, (job: Job) => this.#process(messageType, job), {
          ...this.#options.workerOptions,
          connection: this.#options.connection,
          prefix: this.#options.prefix ?? "bull",
          concurrency: this.#options.concurrency ?? 1,
        });
        // Connection trouble and the like; BullMQ retries by itself.
        worker.on("error", (error: Error) => {
          this.#log("error", `${messageType} worker: ${error.name}`);
        });
        this.#workers.push(worker);
      }
      this.#log("info", `consuming ${this.messageTypes.join(", ")}`);
      await this.#stopped;
    } finally {
      if (watch) {
        for (const signal of SIGNALS) process.off(signal, onSignal);
      }
      // Worker.close() waits for the jobs in progress; all queues wind down together.
      await Promise.all(this.#workers.map((w) => w.close()));
      this.#workers.length = 0;
      this.#log("info", "stopped");
    }
  }

  /** Stop taking jobs; run() resolves once the active ones are done. */
  close(): void {
    this.#stop?.();
  }

  async #process(messageType: MessageType, job: Job): Promise<unknown> {
    const handler = this.#options.handlers[messageType] as Handler<MessageType> | undefined;
    const redactor = new Redactor([
      ...secretsOf(this.#options.client),
      ...secretValues(job.data),
    ]);
    const issues = validatePayload(messageType, job.data);
    if (issues.length > 0) {
      const invalid = new PayloadValidationError(messageType, PAYLOAD_TYPES[messageType], issues);
      this.#log("warn", `${messageType} job ${job.id}: failed: ${redactor.text(invalid.message)}`);
      throw new UnrecoverableError(redactor.text(invalid.message));
    }
    if (handler === undefined) {
      throw new UnrecoverableError(`no handler for ${messageType}`);
    }
    this.#log("debug", `${messageType} job ${job.id}: started (attempt ${job.attemptsMade + 1})`);
    try {
      const payload = job.data as MessagePayloads[MessageType];
      const result = await handler(payload, this.#context(messageType, job, redactor));
      this.#log("info", `${messageType} job ${job.id}: completed`);
      return result;
    } catch (error) {
      // The error text can quote the payload: its secret values are removed.
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.#log("warn", `${messageType} job ${job.id}: failed: ${redactor.text(reason)}`);
      throw redactedError(error, redactor);
    }
  }

  #context<K extends MessageType>(messageType: K, job: Job, redactor: Redactor): JobContext<K> {
    const client = this.#options.client;
    return {
      id: String(job.id),
      messageType,
      attemptsMade: job.attemptsMade,
      job,
      updateProgress: (progress) => job.updateProgress(progress),
      log: async (text) => {
        await job.log(redactor.text(text));
      },
      sendCompletion: async (payload, opts) => {
        const completion = (COMPLETIONS as Partial<Record<MessageType, MessageType>>)[messageType];
        if (completion === undefined) {
          throw new WorkerClientError(`${messageType} has no completion message`);
        }
        if (client === undefined) {
          throw new WorkerClientError("sendCompletion needs new QueueWorker({ client, ... })");
        }
        const sent = await client.sendToQueue(completion, payload as never, {
          jobId: `${completion}-${job.id}`,
          ...opts,
        });
        this.#log("info", `${messageType} job ${job.id}: sent ${completion} job ${sent.jobId}`);
        return sent;
      },
    };
  }

  #log(level: keyof WorkerLogger, message: string): void {
    this.#options.logger?.[level]?.(message);
  }
}

// Errors BullMQ reads as instructions (move the job, wait for children, rate limit), not as
// failures: they pass as they are.
const CONTROL_ERRORS = new Set([
  "DelayedError",
  "WaitingError",
  "WaitingChildrenError",
  "RateLimitError",
]);
// Worker.RateLimitError()'s message (bullmq's RATE_LIMIT_ERROR, not exported by every 5.x).
const RATE_LIMIT_ERROR = "bullmq:rateLimitExceeded";

/**
 * The handler's error as BullMQ may store it: message and stack with every secret value
 * (the job's secret fields, the client's api key) replaced, so that neither the job's
 * failedReason nor its stacktrace in Redis, nor getJobStatus, ever holds one. The name is
 * kept (BullMQ tells an UnrecoverableError by it).
 */
function redactedError(error: unknown, redactor: Redactor): unknown {
  if (!(error instanceof Error)) {
    return new Error(redactor.text(String(error)));
  }
  if (CONTROL_ERRORS.has(error.name) || error.message === RATE_LIMIT_ERROR) {
    return error;
  }
  const copy =
    error instanceof UnrecoverableError
      ? new UnrecoverableError(redactor.text(error.message))
      : new Error(redactor.text(error.message));
  copy.name = error.name;
  copy.stack = error.stack === undefined ? undefined : redactor.text(error.stack);
  return copy;
}
