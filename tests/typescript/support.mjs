// Shared by the node tests: the built client, the test cases pytest wrote, and a real HTTP
// server on 127.0.0.1 (port 0) that records every request it gets.
//
// Run through pytest (tests/typescript/test_ts_node.py), which builds the package and sets
// WCG_TS_CLIENT (the built dist/index.js) and WCG_TS_CASES (payloads from the schemas).

import { readFileSync } from "node:fs";
import http from "node:http";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run these tests through pytest tests/typescript`);
  }
  return value;
}

export const cases = JSON.parse(readFileSync(requiredEnv("WCG_TS_CASES"), "utf8"));
export const client = await import(pathToFileURL(requiredEnv("WCG_TS_CLIENT")).href);

/** Starts a recording server; handler(record, res, attempt) answers each request. */
export async function startServer(t, handler = contractHandler) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const record = {
        method: req.method,
        path: req.url,
        headers: req.headers,
        text,
        json: text ? JSON.parse(text) : undefined,
        at: performance.now(),
      };
      requests.push(record);
      Promise.resolve(handler(record, res, requests.length)).catch((error) => {
        res.writeHead(599);
        res.end(String(error));
      });
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  t.after(close);
  return { url: `http://127.0.0.1:${port}`, requests, close };
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort() {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function send(res, status, body, headers = {}) {
  const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "X-Request-Id": `req-${status}-test`,
    ...headers,
  });
  res.end(text);
}

export function errorBody(status, message) {
  return { statusCode: status, error: http.STATUS_CODES[status] ?? "Error", message };
}

/** The contract's happy path: 201 for an enqueue, a job for a status lookup. */
export function contractHandler(record, res) {
  const match = /^\/api\/jobs\/([^/?]+)$/.exec(record.path);
  if (match && record.method === "POST") {
    const type = match[1];
    return send(res, 201, { success: true, jobId: record.json.opts.jobId, messageName: type, queue: type });
  }
  if (match && record.method === "GET") {
    const jobId = decodeURIComponent(match[1]);
    if (jobId === "missing-job") {
      return send(res, 404, errorBody(404, `job ${jobId} not found`));
    }
    return send(res, 200, {
      jobId,
      name: "file-download-request",
      queue: "file-download-request",
      state: "completed",
      data: { modelId: "m-1" },
      returnvalue: { ok: true },
      progress: 100,
      timestamp: 1732492800000,
    });
  }
  return send(res, 404, errorBody(404, "no route"));
}

/** A server that answers only after `ms` (or never, if the client gives up first). */
export function slowHandler(ms) {
  return (record, res) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        contractHandler(record, res);
        resolve();
      }, ms);
      timer.unref();
      res.on("close", () => {
        clearTimeout(timer);
        resolve();
      });
    });
}

/** A logger that keeps every line. */
export function captureLogger() {
  const lines = [];
  return {
    lines,
    debug: (message) => lines.push(["debug", message]),
    warn: (message) => lines.push(["warn", message]),
  };
}

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
