// The Node twin of echo_worker.py: a worker built on the package's QueueWorker, handling every
// message type in $WCG_TYPES, each job doing what the plan ($WCG_PLAN) says for its id.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";

const packageDir = process.env.WCG_TS_PACKAGE;
const load = (path) => import(pathToFileURL(`${packageDir}/${path}`).href);
const { WorkerClient } = await load("dist/index.js");
const { QueueWorker } = await load("dist/worker.js");
const { Redis } = await load("node_modules/ioredis/built/index.js");

const plan = JSON.parse(readFileSync(process.env.WCG_PLAN, "utf8"));

async function handle(payload, job) {
  appendFileSync(plan.record, `${job.id}\n`);
  const step = plan.jobs[job.id] ?? {};
  if ("progress" in step) await job.updateProgress(step.progress);
  if (step.mode === "gate") {
    while (!existsSync(step.gate)) await sleep(50);
  }
  if (step.mode === "throw") throw new Error(step.message);
  if ("completion" in step) await job.sendCompletion(step.completion);
  return { echo: payload, messageType: job.messageType, attempt: job.attemptsMade + 1 };
}

const connection = new Redis(process.env.WCG_REDIS_URL, { maxRetriesPerRequest: null });
const handlers = Object.fromEntries(process.env.WCG_TYPES.split(",").map((t) => [t, handle]));
const line = (level) => (message) => process.stderr.write(`${level} ${message}\n`);
const worker = new QueueWorker({
  handlers,
  connection,
  prefix: process.env.WCG_PREFIX,
  concurrency: Number(process.env.WCG_CONCURRENCY ?? "1"),
  client: new WorkerClient({ baseUrl: process.env.WCG_BACKEND_URL }),
  logger: { debug: line("DEBUG"), info: line("INFO"), warn: line("WARNING"), error: line("ERROR") },
});
console.log("ready");
await worker.run();
await connection.quit();
