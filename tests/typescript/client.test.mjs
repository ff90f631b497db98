// The built TypeScript client against a real local HTTP server: every method, getJobStatus,
// HTTP errors, timeouts, headers and configuration.

import assert from "node:assert/strict";
import { test } from "node:test";
import util from "node:util";

import {
  UUID_V4,
  cases,
  client as pkg,
  errorBody,
  send,
  slowHandler,
  startServer,
} from "./support.mjs";

const {
  WorkerClient,
  MessageTypes,
  WorkerClientError,
  APIConnectionError,
  APITimeoutError,
  APIStatusError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  JobNotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  PayloadValidationError,
  VERSION,
} = pkg;

const API_KEY = "test-api-key-123";

test("every message type has its method, and each POSTs {payload, opts} to /api/jobs/<type>", async (t) => {
  const server = await startServer(t);
  const client = new WorkerClient({ baseUrl: server.url, apiKey: API_KEY });

  const methods = Object.getOwnPropertyNames(WorkerClient.prototype).filter(
    (name) => !["constructor", "sendToQueue", "getJobStatus"].includes(name),
  );
  assert.deepEqual(methods.sort(), cases.messages.map((m) => m.method).sort());
  assert.deepEqual(
    Object.values(MessageTypes).sort(),
    cases.messages.map((m) => m.type).sort(),
  );

  for (const [index, message] of cases.messages.entries()) {
    const jobId = `job-${message.type}`;
    const job = await client[message.method](message.payload, { jobId, priority: 2 });
    assert.deepEqual(job, { success: true, jobId, messageName: message.type, queue: message.type });

    const request = server.requests[index];
    assert.equal(request.method, "POST");
    assert.equal(request.path, `/api/jobs/${message.type}`);
    assert.deepEqual(request.json, { payload: message.payload, opts: { jobId, priority: 2 } });
    assert.equal(request.headers["content-type"], "application/json");
    assert.equal(request.headers["accept"], "application/json");
    assert.equal(request.headers["authorization"], `Bearer ${API_KEY}`);
    assert.equal(
      request.headers["user-agent"],
      `mesh-sync-worker-backend-client/${VERSION} (typescript)`,
    );
  }
  assert.equal(server.requests.length, cases.messages.length);
});

test("sendToQueue takes a MessageTypes constant and generates one UUID jobId per call", async (t) => {
  const server = await startServer(t);
  const client = new WorkerClient({ baseUrl: `${server.url}/` });
  const message = cases.messages[0];

  const first = await client.sendToQueue(MessageTypes[message.constant], message.payload);
  const second = await client.sendToQueue(MessageTypes[message.constant], message.payload, {
    attempts: 3,
  });

  assert.match(first.jobId, UUID_V4);
  assert.match(second.jobId, UUID_V4);
  assert.notEqual(first.jobId, second.jobId);
  assert.equal(server.requests[0].path, `/api/jobs/${message.type}`);
  assert.deepEqual(server.requests[0].json.opts, { jobId: first.jobId });
  assert.deepEqual(server.requests[1].json.opts, { attempts: 3, jobId: second.jobId });
  assert.equal(server.requests[0].headers["authorization"], undefined);
});

test("getJobStatus returns the job, with the id escaped into the path", async (t) => {
  const server = await startServer(t);
  const client = new WorkerClient({ baseUrl: server.url, apiKey: API_KEY });

  const status = await client.getJobStatus("job/1 a");

  assert.equal(server.requests[0].method, "GET");
  assert.equal(server.requests[0].path, "/api/jobs/job%2F1%20a");
  assert.equal(server.requests[0].headers["authorization"], `Bearer ${API_KEY}`);
  assert.equal(server.requests[0].text, "");
  assert.equal(status.jobId, "job/1 a");
  assert.equal(status.state, "completed");
  assert.deepEqual(status.returnvalue, { ok: true });
  assert.equal(status.progress, 100);
  assert.equal(status.timestamp, 1732492800000);
});

test("getJobStatus of an unknown job throws JobNotFoundError carrying status, body and request id", async (t) => {
  const server = await startServer(t);
  const client = new WorkerClient({ baseUrl: server.url });

  await assert.rejects(client.getJobStatus("missing-job"), (error) => {
    assert.ok(error instanceof JobNotFoundError);
    assert.ok(error instanceof NotFoundError);
    assert.ok(error instanceof APIStatusError);
    assert.ok(error instanceof WorkerClientError);
    assert.equal(error.name, "JobNotFoundError");
    assert.equal(error.status, 404);
    assert.equal(error.requestId, "req-404-test");
    assert.deepEqual(error.body, errorBody(404, "job missing-job not found"));
    assert.match(error.message, /404/);
    assert.match(error.message, /job missing-job not found/);
    return true;
  });
  assert.equal(server.requests.length, 1);
});

test("each HTTP error status maps to its error class", async (t) => {
  const expected = [
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [418, APIStatusError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
  ];
  const status = { current: 0 };
  const server = await startServer(t, (record, res) =>
    send(res, status.current, {
      ...errorBody(status.current, `failed on purpose with ${status.current}`),
      details: [{ path: "/x", message: "bad" }],
    }),
  );
  const client = new WorkerClient({ baseUrl: server.url, maxRetries: 0 });
  const message = cases.messages[0];

  for (const [code, ErrorClass] of expected) {
    status.current = code;
    const before = server.requests.length;
    await assert.rejects(client[message.method](message.payload), (error) => {
      assert.equal(error.constructor, ErrorClass, `status ${code}`);
      assert.ok(error instanceof APIStatusError);
      assert.equal(error.status, code);
      assert.equal(error.requestId, `req-${code}-test`);
      assert.equal(error.body.message, `failed on purpose with ${code}`);
      assert.deepEqual(error.body.details, [{ path: "/x", message: "bad" }]);
      assert.ok(error.message.includes(`failed on purpose with ${code}`));
      return true;
    });
    assert.equal(server.requests.length, before + 1, `status ${code} was sent once`);
  }
});

test("a non-JSON error body is kept as text", async (t) => {
  const server = await startServer(t, (record, res) => {
    res.writeHead(502, { "Content-Type": "text/html" });
    res.end("<html>bad gateway</html>");
  });
  const client = new WorkerClient({ baseUrl: server.url, maxRetries: 0 });

  await assert.rejects(client.getJobStatus("j-1"), (error) => {
    assert.ok(error instanceof InternalServerError);
    assert.equal(error.status, 502);
    assert.equal(error.body, "<html>bad gateway</html>");
    assert.equal(error.requestId, undefined);
    return true;
  });
});

test("a 2xx answer that is not JSON is an error, not a result", async (t) => {
  const server = await startServer(t, (record, res) => {
    res.writeHead(201, { "Content-Type": "text/plain" });
    res.end("created");
  });
  const client = new WorkerClient({ baseUrl: server.url });
  const message = cases.messages[0];

  await assert.rejects(client[message.method](message.payload), (error) => {
    assert.ok(error instanceof WorkerClientError);
    assert.ok(!(error instanceof APIStatusError));
    assert.match(error.message, /not JSON/);
    return true;
  });
});

test("a server slower than the timeout gives APITimeoutError", async (t) => {
  const server = await startServer(t, slowHandler(10_000));
  const client = new WorkerClient({ baseUrl: server.url, timeout: 200, maxRetries: 0 });

  await assert.rejects(client.getJobStatus("j-1"), (error) => {
    assert.ok(error instanceof APITimeoutError);
    assert.ok(error instanceof APIConnectionError);
    assert.equal(error.name, "APITimeoutError");
    assert.match(error.message, /timed out: no complete answer within 200 ms/);
    return true;
  });
  assert.equal(server.requests.length, 1);
});

test("a per-call timeout overrides the client's", async (t) => {
  const server = await startServer(t, slowHandler(10_000));
  const client = new WorkerClient({ baseUrl: server.url, maxRetries: 0 });

  await assert.rejects(client.getJobStatus("j-1", { timeout: 150 }), APITimeoutError);
});

test("baseUrl and apiKey fall back to WORKER_BACKEND_URL and WORKER_BACKEND_API_KEY", async (t) => {
  const server = await startServer(t);
  const saved = { url: process.env.WORKER_BACKEND_URL, key: process.env.WORKER_BACKEND_API_KEY };
  t.after(() => {
    for (const [name, value] of [
      ["WORKER_BACKEND_URL", saved.url],
      ["WORKER_BACKEND_API_KEY", saved.key],
    ]) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  delete process.env.WORKER_BACKEND_URL;
  delete process.env.WORKER_BACKEND_API_KEY;
  assert.throws(
    () => new WorkerClient(),
    (error) =>
      error instanceof WorkerClientError &&
      /baseUrl/.test(error.message) &&
      /WORKER_BACKEND_URL/.test(error.message),
  );

  process.env.WORKER_BACKEND_URL = server.url;
  process.env.WORKER_BACKEND_API_KEY = "key-from-env";
  const client = new WorkerClient();
  assert.equal(client.baseUrl, server.url);
  await client.getJobStatus("j-1");
  assert.equal(server.requests[0].headers["authorization"], "Bearer key-from-env");
});

test("a bad baseUrl is refused without echoing it", () => {
  assert.throws(() => new WorkerClient({ baseUrl: "localhost:3000" }), WorkerClientError);
  assert.throws(
    () => new WorkerClient({ baseUrl: "http://user:hunter2pw@localhost:3000" }),
    (error) => error instanceof WorkerClientError && !error.message.includes("hunter2pw"),
  );
  assert.throws(() => new WorkerClient({ baseUrl: "http://x", timeout: 0 }), WorkerClientError);
  assert.throws(() => new WorkerClient({ baseUrl: "http://x", maxRetries: -1 }), WorkerClientError);
});

test("the api key is invisible to console.log, util.inspect and JSON.stringify", () => {
  const client = new WorkerClient({ baseUrl: "http://127.0.0.1:9", apiKey: API_KEY });
  for (const text of [
    util.inspect(client, { showHidden: true, depth: null }),
    util.format("%o", client),
    JSON.stringify(client),
    String(client),
    Object.keys(client).join(","),
  ]) {
    assert.ok(!text.includes(API_KEY), text);
  }
  assert.equal(client.apiKey, undefined);
});

test("an unknown message type from untyped code is refused before sending", async (t) => {
  const server = await startServer(t);
  const client = new WorkerClient({ baseUrl: server.url });
  await assert.rejects(client.sendToQueue("no-such-message", {}), WorkerClientError);
  await assert.rejects(client.sendToQueue("no-such-message", {}, undefined, { validate: false }), WorkerClientError);
  assert.equal(server.requests.length, 0);
});

test("validate: false, on the client or per call, sends an invalid payload as it is", async (t) => {
  const server = await startServer(t);
  const invalid = cases.invalid;

  const strict = new WorkerClient({ baseUrl: server.url });
  await assert.rejects(strict[invalid.method](invalid.payload), PayloadValidationError);
  assert.equal(server.requests.length, 0);

  await strict[invalid.method](invalid.payload, { jobId: "j-per-call" }, { validate: false });
  const lax = new WorkerClient({ baseUrl: server.url, validate: false });
  await lax[invalid.method](invalid.payload, { jobId: "j-client" });

  assert.equal(server.requests.length, 2);
  assert.deepEqual(server.requests[0].json.payload, invalid.payload);
  assert.deepEqual(server.requests[1].json.payload, invalid.payload);
});
