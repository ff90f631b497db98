// Faults on purpose: retries with Retry-After, refused connections, timeouts, 4xx that must
// not be retried, validation before any I/O, and secrets that must never leak.

import assert from "node:assert/strict";
import { test } from "node:test";
import util from "node:util";

import {
  UUID_V4,
  captureLogger,
  cases,
  client as pkg,
  closedPort,
  errorBody,
  send,
  slowHandler,
  startServer,
} from "./support.mjs";

const {
  WorkerClient,
  APIConnectionError,
  APITimeoutError,
  BadRequestError,
  PayloadValidationError,
  WorkerClientError,
} = pkg;

const message = cases.messages[0];

function failThenSucceed() {
  return (record, res, attempt) => {
    if (attempt === 1) return send(res, 503, errorBody(503, "warming up"));
    if (attempt === 2) return send(res, 429, errorBody(429, "slow down"), { "Retry-After": "1" });
    const type = record.path.split("/").pop();
    return send(res, 201, { success: true, jobId: record.json.opts.jobId, messageName: type, queue: type });
  };
}

test("503, then 429 with Retry-After: 1, then success: three attempts, one jobId, Retry-After honoured", async (t) => {
  const server = await startServer(t, failThenSucceed());
  const logger = captureLogger();
  const client = new WorkerClient({ baseUrl: server.url, logger });

  const job = await client[message.method](message.payload);

  assert.equal(server.requests.length, 3);
  const jobIds = server.requests.map((r) => r.json.opts.jobId);
  assert.match(jobIds[0], UUID_V4);
  assert.deepEqual(jobIds, [jobIds[0], jobIds[0], jobIds[0]]);
  assert.equal(job.jobId, jobIds[0]);
  for (const request of server.requests) {
    assert.deepEqual(request.json.payload, message.payload);
  }
  // The third attempt came at least the Retry-After second after the second one was answered
  // (a lower bound only: the client may be slower, never faster).
  assert.ok(
    server.requests[2].at - server.requests[1].at >= 990,
    `waited ${server.requests[2].at - server.requests[1].at} ms`,
  );
  const warnings = logger.lines.filter(([level]) => level === "warn").map(([, line]) => line);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /: HTTP 503; retrying in \d+\.\d\ds \(attempt 2 of 3\)$/);
  assert.match(warnings[1], /: HTTP 429; retrying in 1\.00s \(attempt 3 of 3\)$/);
  assert.equal(logger.lines.filter(([level]) => level === "debug").length, 3);
});

test("a caller's jobId is the one every retry carries", async (t) => {
  const server = await startServer(t, failThenSucceed());
  const client = new WorkerClient({ baseUrl: server.url });

  const job = await client[message.method](message.payload, { jobId: "caller-job-7" });

  assert.equal(job.jobId, "caller-job-7");
  assert.deepEqual(
    server.requests.map((r) => r.json.opts.jobId),
    ["caller-job-7", "caller-job-7", "caller-job-7"],
  );
});

test("connection refused: APIConnectionError after maxRetries + 1 attempts", async () => {
  const port = await closedPort();
  const logger = captureLogger();
  const client = new WorkerClient({ baseUrl: `http://127.0.0.1:${port}`, logger });

  await assert.rejects(client[message.method](message.payload), (error) => {
    assert.ok(error instanceof APIConnectionError);
    assert.ok(!(error instanceof APITimeoutError));
    assert.match(error.message, /could not connect/);
    assert.match(error.message, /ECONNREFUSED/);
    return true;
  });
  const attempts = logger.lines.filter(([level]) => level === "debug");
  assert.equal(attempts.length, client.maxRetries + 1);
  assert.equal(client.maxRetries, 2);
  assert.match(attempts[2][1], /attempt 3 of 3/);
});

test("maxRetries per call: connection refused with maxRetries 0 is tried once", async () => {
  const port = await closedPort();
  const logger = captureLogger();
  const client = new WorkerClient({ baseUrl: `http://127.0.0.1:${port}`, logger });

  await assert.rejects(client.getJobStatus("j-1", { maxRetries: 0 }), APIConnectionError);
  assert.equal(logger.lines.length, 1);
});

test("a server slower than the timeout: APITimeoutError, retried with the same jobId", async (t) => {
  const server = await startServer(t, slowHandler(10_000));
  const client = new WorkerClient({ baseUrl: server.url, timeout: 200, maxRetries: 1 });

  await assert.rejects(client[message.method](message.payload), APITimeoutError);
  assert.equal(server.requests.length, 2);
  assert.equal(server.requests[0].json.opts.jobId, server.requests[1].json.opts.jobId);
});

test("400 is thrown at once, not retried, with its status", async (t) => {
  const server = await startServer(t, (record, res) =>
    send(res, 400, errorBody(400, "malformed body")),
  );
  const client = new WorkerClient({ baseUrl: server.url, maxRetries: 5 });

  await assert.rejects(client[message.method](message.payload), (error) => {
    assert.ok(error instanceof BadRequestError);
    assert.equal(error.status, 400);
    assert.equal(error.body.message, "malformed body");
    return true;
  });
  assert.equal(server.requests.length, 1);
});

test("an invalid payload throws PayloadValidationError naming every bad field; nothing is sent", async (t) => {
  const server = await startServer(t);
  const client = new WorkerClient({ baseUrl: server.url });
  const { invalid } = cases;

  await assert.rejects(client[invalid.method](invalid.payload), (error) => {
    assert.ok(error instanceof PayloadValidationError);
    assert.ok(error instanceof WorkerClientError);
    assert.equal(error.messageType, invalid.type);
    const paths = error.issues.map((issue) => issue.path);
    assert.ok(paths.includes(invalid.missing), `${invalid.missing} in ${paths}`);
    assert.ok(paths.includes(invalid.wrongType), `${invalid.wrongType} in ${paths}`);
    const missing = error.issues.find((issue) => issue.path === invalid.missing);
    assert.equal(missing.message, "is required");
    const wrong = error.issues.find((issue) => issue.path === invalid.wrongType);
    assert.match(wrong.message, /^must be /);
    assert.ok(error.message.includes(invalid.type));
    assert.ok(error.message.includes(`${invalid.missing} is required`));
    assert.ok(error.message.includes(invalid.wrongType));
    return true;
  });
  // sendToQueue validates the same way.
  await assert.rejects(client.sendToQueue(invalid.type, invalid.payload), PayloadValidationError);
  assert.equal(server.requests.length, 0);
});

test("neither the api key nor a credential value appears in any log line, error or inspection", async (t) => {
  const { apiKey, credentialValue, secret } = cases;
  const texts = [];
  const logger = captureLogger();
  const consoleLines = [];
  const saved = {};
  for (const level of ["log", "info", "warn", "error", "debug", "trace"]) {
    saved[level] = console[level];
    console[level] = (...args) => consoleLines.push(util.format(...args));
  }
  t.after(() => Object.assign(console, saved));

  const collect = (error) => {
    texts.push(
      error.message,
      String(error),
      error.stack ?? "",
      util.inspect(error, { depth: null, showHidden: true }),
      JSON.stringify(error),
      JSON.stringify(error.body ?? null),
      JSON.stringify(error.issues ?? null),
    );
  };
  const expectFailure = async (promise) => {
    try {
      await promise;
    } catch (error) {
      collect(error);
      return error;
    }
    assert.fail("the call should have failed");
  };
  const payload = secret.payload;
  const call = (client, opts, options) => client[secret.method](payload, opts, options);

  // 1. A server that echoes the Authorization header and the whole request in its error.
  const echo = await startServer(t, (record, res) =>
    send(
      res,
      422,
      {
        ...errorBody(422, `rejected ${record.headers.authorization} for ${record.text}`),
        details: [{ path: `/${secret.field}`, message: `${JSON.stringify(record.json.payload[secret.field])} is not allowed` }],
        echo: record.json,
      },
      { "X-Request-Id": `req-${apiKey}` },
    ),
  );
  const echoClient = new WorkerClient({ baseUrl: echo.url, apiKey, logger });
  const echoed = await expectFailure(call(echoClient));
  assert.ok(echo.requests[0].headers.authorization.includes(apiKey), "the key was sent");
  assert.ok(echo.requests[0].text.includes(credentialValue), "the credential was sent");
  assert.ok(echoed.message.includes("[REDACTED]"), echoed.message);

  // 2. Retries (503, 429 + Retry-After, success) with a logger.
  const flaky = await startServer(t, failThenSucceed());
  await call(new WorkerClient({ baseUrl: flaky.url, apiKey, logger }));
  assert.equal(flaky.requests.length, 3);

  // 3. Connection refused.
  const port = await closedPort();
  await expectFailure(call(new WorkerClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey, logger, maxRetries: 1 })));

  // 4. A timeout.
  const slow = await startServer(t, slowHandler(10_000));
  await expectFailure(call(new WorkerClient({ baseUrl: slow.url, apiKey, logger, timeout: 150, maxRetries: 1 })));

  // 5. A 400, not retried.
  const bad = await startServer(t, (record, res) => send(res, 400, errorBody(400, record.text)));
  await expectFailure(call(new WorkerClient({ baseUrl: bad.url, apiKey, logger })));

  // 6. An invalid payload that carries the credential.
  const invalid = await expectFailure(
    echoClient.sendToQueue(secret.type, { ...payload, [secret.field]: [credentialValue] }),
  );
  assert.ok(invalid instanceof PayloadValidationError);

  const client = new WorkerClient({ baseUrl: echo.url, apiKey, logger });
  texts.push(util.inspect(client, { depth: null, showHidden: true }), JSON.stringify(client));

  const everything = [...texts, ...consoleLines, ...logger.lines.map(([level, line]) => `${level} ${line}`)];
  // The logs were really captured: one debug line per attempt of every call that sent
  // anything (the refused port took two attempts, maxRetries 1), and a warning per retry.
  const attemptLines = logger.lines.filter(([level, line]) => level === "debug" && /: attempt \d+ of \d+$/.test(line));
  const sent = echo.requests.length + flaky.requests.length + slow.requests.length + bad.requests.length;
  assert.equal(attemptLines.length, sent + 2, JSON.stringify(logger.lines));
  assert.ok(logger.lines.some(([level, line]) => level === "warn" && line.includes("retrying in")));
  for (const text of everything) {
    assert.ok(!text.includes(apiKey), `api key leaked: ${text}`);
    assert.ok(!text.includes(credentialValue), `credential leaked: ${text}`);
  }
});
