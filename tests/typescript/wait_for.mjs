// waitFor of the built TypeScript client against `serve` (tests/typescript/test_ts_wait_for.py
// starts it and moves the jobs on in its store, as a worker would). Reads
// `node wait_for.mjs <client dist/index.js> <runs.json>` and prints, per run, what waitFor
// resolved to or threw, as JSON.

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [clientPath, runsPath] = process.argv.slice(2);
const pkg = await import(pathToFileURL(clientPath).href);
const { url, apiKey, runs } = JSON.parse(readFileSync(runsPath, "utf8"));
const client = new pkg.WorkerClient({ baseUrl: url, apiKey });

const results = [];
for (const run of runs) {
  try {
    const status = await client.waitFor(run.jobId, run.timeout);
    results.push({ resolved: { state: status.state, returnvalue: status.returnvalue } });
  } catch (error) {
    if (!(error instanceof pkg.WorkerClientError)) {
      throw error;
    }
    results.push({
      error: error.name,
      message: error.message,
      jobId: error.jobId ?? null,
      failedReason: error.failedReason ?? null,
      state: error.state ?? null,
      timeout: error.timeout ?? null,
      isJobFailed: error instanceof pkg.JobFailedError,
      isWaitTimeout: error instanceof pkg.WaitTimeoutError,
    });
  }
}
process.stdout.write(JSON.stringify(results));
