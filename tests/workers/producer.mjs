// Enqueues jobs through the package's WorkerClient: reads [{type, payload, jobId}] as JSON
// from $WCG_JOBS and prints one JSON line per answer.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const { WorkerClient } = await import(
  pathToFileURL(`${process.env.WCG_TS_PACKAGE}/dist/index.js`).href
);
const client = new WorkerClient({ baseUrl: process.env.WCG_BACKEND_URL });
for (const job of JSON.parse(readFileSync(process.env.WCG_JOBS, "utf8"))) {
  const answer = await client.sendToQueue(job.type, job.payload, { jobId: job.jobId });
  console.log(JSON.stringify(answer));
}
