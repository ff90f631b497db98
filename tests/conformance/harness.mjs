// Runs the conformance cases through the built TypeScript client, one after another, and
// prints what happened in each as JSON: the error class and message, and the log lines.
//
// Run through pytest (tests/conformance/test_conformance.py), which starts a scripted server
// per case and passes `node harness.mjs <client dist/index.js> <runs.json>`.

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [clientPath, runsPath] = process.argv.slice(2);
const client = await import(pathToFileURL(clientPath).href);
const runs = JSON.parse(readFileSync(runsPath, "utf8"));

const results = [];
for (const run of runs) {
  const logs = [];
  const logger = {
    debug: (line) => logs.push(["debug", line]),
    warn: (line) => logs.push(["warn", line]),
  };
  const config = { baseUrl: run.url, logger, validate: false };
  if (run.apiKey !== null) config.apiKey = run.apiKey;
  if (run.maxRetries !== null) config.maxRetries = run.maxRetries;
  if (run.timeout !== null) config.timeout = Math.round(run.timeout * 1000);
  const worker = new client.WorkerClient(config);
  const result = { error: null, message: "", body: "", failed_reason: null, state: null, logs };
  try {
    if (run.call === "status") {
      await worker.getJobStatus(run.jobId);
    } else if (run.call === "wait") {
      await worker.waitFor(run.jobId, Math.round(run.waitTimeout * 1000));
    } else {
      await worker.sendToQueue(run.type, run.payload, run.opts ?? undefined);
    }
  } catch (error) {
    if (!(error instanceof client.WorkerClientError)) {
      throw error;
    }
    result.error = error.name;
    result.message = error.message;
    result.body = JSON.stringify(error.body ?? null);
    result.failed_reason = error.failedReason ?? null;
    result.state = error.state ?? null;
  }
  results.push(result);
}
process.stdout.write(JSON.stringify(results));
