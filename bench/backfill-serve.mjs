// The app process of bench/backfill.mjs: what `crisp-guard serve` runs (runServe from dist/, on the
// SQLite store CRISP_GUARD_DB names, the same signal handling), with Probot's Octokit with
// throttling off, as bench/app.mjs's unthrottled scenario: the figures are the app's own cost, not
// GitHub's one write a second. Run under bench/rss-wrap.mjs, it tells its parent its port over IPC.
import { ProbotOctokit } from "probot";
import { pino } from "pino";
import { runServe, stopOnSignals } from "../dist/cli/serve.js";

const Octokit = ProbotOctokit.defaults((o) => ({ ...o, throttle: { enabled: false } }));
const handle = await runServe({ env: process.env }, { Octokit, log: pino({ level: process.env.LOG_LEVEL ?? "warn" }) });
stopOnSignals(handle, { stderr: process.stderr });
process.send?.({ listening: handle.port });
