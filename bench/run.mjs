// `npm run bench`: every benchmark, one after the other (they would disturb each other in parallel).
// Pick some with arguments: node bench/run.mjs dir history app app-postgres backfill
// app-postgres needs a Postgres server (BENCH_DATABASE_URL or CRISP_GUARD_TEST_DATABASE_URL) and says
// it skipped without one: `scripts/test-postgres.sh npm run bench` gives it a throwaway server.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const all = ["dir", "history", "app", "app-postgres", "backfill"];
const chosen = process.argv.slice(2).filter((a) => !a.startsWith("-"));
let failed = false;
for (const name of chosen.length ? chosen : all) {
  const script = `${here}${name}.mjs`;
  if (!existsSync(script)) {
    console.log(`(no benchmark ${name})`);
    continue;
  }
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(process.execPath, [script], { stdio: "inherit" });
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
