// One process of the Postgres app benchmark (bench/app-postgres.mjs starts a web one and 1-3 workers):
// what `crisp-guard serve --role ROLE` runs (runServe from dist/, the role from CRISP_GUARD_ROLE, the
// same signal handling), with two differences, both for measuring:
//   - Probot's Octokit with throttling off, as bench/app.mjs does in-process: the figures are the
//     app's and the queue's own cost, not GitHub's one write a second;
//   - every statement sent to Postgres is counted (pg's Client.query, which the store's pools and
//     pg-boss both go through), split by pool: pg-boss connects as "crisp-guard-queue". The parent
//     asks for the counts over IPC ("counts" → { store, queue }).
import pg from "pg";
import { ProbotOctokit } from "probot";
import { pino } from "pino";
import { runServe, stopOnSignals } from "../dist/cli/serve.js";

/** pg-boss's application_name (src/app/pg-boss-queue.ts): its statements are the queue's. */
const QUEUE_APPLICATION_NAME = "crisp-guard-queue";

const counts = { store: 0, queue: 0 };
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(...args) {
  if (this.connectionParameters?.application_name === QUEUE_APPLICATION_NAME) counts.queue++;
  else counts.store++;
  return query.apply(this, args);
};

process.on("message", (message) => {
  if (message === "counts") process.send?.({ counts: { ...counts } });
});

const Octokit = ProbotOctokit.defaults((o) => ({ ...o, throttle: { enabled: false } }));
const handle = await runServe({ env: process.env }, { Octokit, log: pino({ level: process.env.LOG_LEVEL ?? "warn" }) });
stopOnSignals(handle, { stderr: process.stderr });
process.send?.({ listening: handle.port });
