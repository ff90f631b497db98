// The built TypeScript client against `worker-client-gen serve`, which validates every job
// against its schema and enforces docs/contract.md.
//
// Run through pytest (tests/typescript/test_ts_serve.py): it starts serve in-process with an
// api key and runs this file twice, WCG_SERVE_PHASE=enqueue then WCG_SERVE_PHASE=worker, moving
// jobs on in serve's store in between (as a BullMQ worker would). WCG_SERVE_CASES names the
// JSON it writes: the server's url and keys, the job ids to use and what the worker does.
// It needs those cases: run on its own, it fails at once saying so.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { captureLogger, cases, client as pkg } from "./support.mjs";

const {
  WorkerClient,
  APIStatusError,
  AuthenticationError,
  JobNotFoundError,
  NotFoundError,
  PayloadValidationError,
  UnprocessableEntityError,
  WorkerClientError,
} = pkg;

const serveCasesPath = process.env.WCG_SERVE_CASES;
const phase = process.env.WCG_SERVE_PHASE;

if (!serveCasesPath) {
  throw new Error("WCG_SERVE_CASES is not set: run this suite through tests/typescript/test_ts_serve.py");
} else {
  const serve = JSON.parse(readFileSync(serveCasesPath, "utf8"));
  const jobIdOf = (type) => `${serve.jobPrefix}${type}`;
  const client = () => new WorkerClient({ baseUrl: serve.url, apiKey: serve.apiKey });

  /** Asserts error is a status error from serve (which sets X-Request-Id on every answer). */
  function assertServeError(error, ErrorClass, status) {
    assert.equal(error.constructor, ErrorClass, `${error.name}: ${error.message}`);
    assert.ok(error instanceof APIStatusError);
    assert.ok(error instanceof WorkerClientError);
    assert.equal(error.status, status);
    assert.equal(error.body.statusCode, status);
    assert.equal(typeof error.body.error, "string");
    assert.equal(typeof error.body.message, "string");
    assert.equal(typeof error.requestId, "string");
    assert.ok(error.requestId.length > 0);
  }

  /** One attempt and no retry warning in the client's own log. */
  function assertOneAttempt(logger, method) {
    const debug = logger.lines.filter(([level]) => level === "debug").map(([, line]) => line);
    const warn = logger.lines.filter(([level]) => level === "warn");
    assert.equal(debug.length, 1, debug.join("\n"));
    assert.match(debug[0], new RegExp(`${method} \\S+: attempt 1 of 3$`));
    assert.deepEqual(warn, []);
  }

  if (phase === "enqueue") {
    test("every message type's example payload is accepted by serve and reads back waiting", async () => {
      const worker = client();
      assert.ok(cases.messages.length > 0);
      for (const message of cases.messages) {
        const jobId = jobIdOf(message.type);
        const job = await worker[message.method](message.payload, { jobId });
        assert.deepEqual(
          job,
          { success: true, jobId, messageName: message.type, queue: message.type },
          message.type,
        );

        const status = await worker.getJobStatus(job.jobId);
        assert.equal(status.jobId, jobId);
        assert.equal(status.name, message.type);
        assert.equal(status.queue, message.type);
        assert.equal(status.state, "waiting", message.type);
        assert.deepEqual(status.data, message.payload, message.type);
        assert.equal(status.returnvalue, null);
        assert.equal(status.progress, 0);
        assert.ok(Number.isInteger(status.timestamp) && status.timestamp > 0);
      }
    });

    test("a format violation is caught by the client's validation, and with validate: false by serve as a 422 naming the field", async () => {
      const worker = client();
      const { method, payload, field, type } = serve.formatCase;
      const jobId = `${serve.jobPrefix}invalid-format`;

      // Validation on: refused before any I/O (the server log counts no request for it).
      await assert.rejects(worker[method](payload, { jobId }), (error) => {
        assert.ok(error instanceof PayloadValidationError);
        assert.equal(error.messageType, type);
        assert.deepEqual(error.issues.map((i) => i.path), [field]);
        return true;
      });

      // Validation off for this call: the server is the one to refuse it, once.
      const logger = captureLogger();
      const logged = new WorkerClient({ baseUrl: serve.url, apiKey: serve.apiKey, logger });
      await assert.rejects(logged[method](payload, { jobId }, { validate: false }), (error) => {
        assertServeError(error, UnprocessableEntityError, 422);
        assert.equal(error.body.error, "Unprocessable Entity");
        assert.match(error.body.message, /payload does not match/);
        assert.ok(Array.isArray(error.body.details), JSON.stringify(error.body));
        assert.deepEqual(error.body.details.map((d) => d.path), [field]);
        assert.match(error.body.details[0].message, new RegExp(serve.formatCase.format));
        // The detail states the rule and never echoes the value.
        assert.ok(!JSON.stringify(error.body).includes(payload[field.slice(1)]));
        return true;
      });
      assertOneAttempt(logger, "POST");

      // Nothing was enqueued under that id.
      await assert.rejects(worker.getJobStatus(jobId), JobNotFoundError);
    });

    test("a payload missing a required field and holding a wrong type: 422 with both paths", async () => {
      const worker = client();
      const invalid = cases.invalid;
      await assert.rejects(worker[invalid.method](invalid.payload), PayloadValidationError);
      await assert.rejects(
        worker[invalid.method](invalid.payload, undefined, { validate: false }),
        (error) => {
          assertServeError(error, UnprocessableEntityError, 422);
          const paths = error.body.details.map((d) => d.path);
          assert.ok(paths.includes(invalid.missing), `${invalid.missing} in ${paths}`);
          assert.ok(paths.includes(invalid.wrongType), `${invalid.wrongType} in ${paths}`);
          const missing = error.body.details.find((d) => d.path === invalid.missing);
          assert.match(missing.message, /required/);
          return true;
        },
      );
    });

    test("a wrong api key is an AuthenticationError (401), not retried", async () => {
      const message = cases.messages[0];
      const logger = captureLogger();
      const wrong = new WorkerClient({ baseUrl: serve.url, apiKey: serve.wrongApiKey, logger });
      assert.equal(wrong.maxRetries, 2); // retries were allowed: 401 must not use them

      await assert.rejects(
        wrong[message.method](message.payload, { jobId: `${serve.jobPrefix}wrong-key` }),
        (error) => {
          assertServeError(error, AuthenticationError, 401);
          assert.equal(error.body.error, "Unauthorized");
          assert.equal(error.body.message, "invalid api key");
          assert.ok(!error.message.includes(serve.wrongApiKey));
          assert.ok(!JSON.stringify(error.body).includes(serve.wrongApiKey));
          return true;
        },
      );
      assertOneAttempt(logger, "POST");

      // A status lookup with the wrong key is a 401 too, not a JobNotFoundError.
      const lookupLogger = captureLogger();
      const lookup = new WorkerClient({
        baseUrl: serve.url,
        apiKey: serve.wrongApiKey,
        logger: lookupLogger,
      });
      await assert.rejects(lookup.getJobStatus(jobIdOf(message.type)), (error) => {
        assertServeError(error, AuthenticationError, 401);
        return true;
      });
      assertOneAttempt(lookupLogger, "GET");
    });

    test("no api key at all is an AuthenticationError (401) too", async () => {
      const message = cases.messages[0];
      const saved = process.env.WORKER_BACKEND_API_KEY;
      delete process.env.WORKER_BACKEND_API_KEY;
      try {
        const anonymous = new WorkerClient({ baseUrl: serve.url });
        await assert.rejects(anonymous[message.method](message.payload), (error) => {
          assertServeError(error, AuthenticationError, 401);
          assert.equal(error.body.message, "missing api key");
          return true;
        });
      } finally {
        if (saved !== undefined) process.env.WORKER_BACKEND_API_KEY = saved;
      }
    });

    test("an unknown job id is a JobNotFoundError (404)", async () => {
      await assert.rejects(client().getJobStatus(`${serve.jobPrefix}no-such-job`), (error) => {
        assertServeError(error, JobNotFoundError, 404);
        assert.ok(error instanceof NotFoundError);
        assert.equal(error.body.error, "Not Found");
        assert.match(error.body.message, /no job/);
        return true;
      });
    });
  } else if (phase === "worker") {
    const { completed, failed, active } = serve.lifecycle;

    test("a job the worker completed reads back completed with its return value", async () => {
      const status = await client().getJobStatus(completed.jobId);
      assert.equal(status.jobId, completed.jobId);
      assert.equal(status.state, "completed");
      assert.deepEqual(status.returnvalue, completed.returnvalue);
    });

    test("a job the worker failed reads back failed", async () => {
      const status = await client().getJobStatus(failed.jobId);
      assert.equal(status.state, "failed");
      assert.equal(status.returnvalue, null);
    });

    test("a job the worker took reads back active with its progress", async () => {
      const status = await client().getJobStatus(active.jobId);
      assert.equal(status.state, "active");
      assert.deepEqual(status.progress, active.progress);
    });

    test("every other job is still waiting with its payload", async () => {
      const moved = new Set([completed.jobId, failed.jobId, active.jobId]);
      const worker = client();
      for (const message of cases.messages) {
        const jobId = jobIdOf(message.type);
        const status = await worker.getJobStatus(jobId);
        assert.deepEqual(status.data, message.payload, message.type);
        if (!moved.has(jobId)) assert.equal(status.state, "waiting", message.type);
      }
    });
  } else {
    test("WCG_SERVE_PHASE", () => {
      assert.fail(`WCG_SERVE_PHASE must be enqueue or worker, not ${JSON.stringify(phase)}`);
    });
  }
}
