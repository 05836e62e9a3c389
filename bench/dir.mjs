// `crisp-guard dir` against its floor (read every file + one trivial regex), same corpus, same run.
// Usage: node bench/dir.mjs [--mb 200] [--runs 3]
import { existsSync } from "node:fs";
import { readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { generateDirCorpus } from "./corpus-dir.mjs";
import { measureNode, median } from "./lib.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const MB = arg("mb", Number(process.env.BENCH_DIR_MB ?? 200));
const RUNS = arg("runs", 3);
const here = fileURLToPath(new URL(".", import.meta.url));
const corpus = join(here, ".corpus", `dir-${MB}mb`);
const manifestPath = join(corpus, ".manifest.json");
const cli = join(here, "..", "dist", "cli", "main.js");
/**
 * Another build's CLI (e.g. the previous commit's dist/cli/main.js, built in a scratch checkout),
 * measured interleaved with this one on the same corpus: a change's cost as a ratio, not as
 * seconds taken at different times on a noisy machine.
 */
const baselineCli = process.env.BENCH_DIR_BASELINE;

export async function benchDir() {
  if (!existsSync(manifestPath)) {
    await rm(corpus, { recursive: true, force: true });
    await mkdir(corpus, { recursive: true });
    process.stderr.write(`generating ${MB} MB corpus in ${corpus}…\n`);
    const m = await generateDirCorpus(corpus, MB * 1024 * 1024);
    await writeFile(manifestPath, JSON.stringify(m));
  }
  const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
  const out = join(tmpdir(), `crisp-guard-bench-${process.pid}.json`);
  const floor = [];
  const floor8 = [];
  const guard = [];
  const base = [];
  let report;
  for (let i = 0; i < RUNS; i++) {
    const f = await measureNode(join(here, "floor-dir.mjs"), [corpus]);
    if (f.code !== 0) throw new Error(`floor failed: ${f.stderr}`);
    floor.push(f);
    const f8 = await measureNode(join(here, "floor-dir.mjs"), [corpus, "8"]);
    if (f8.code !== 0) throw new Error(`floor (8 reads at once) failed: ${f8.stderr}`);
    floor8.push(f8);
    const g = await measureNode(cli, ["dir", corpus, "--format", "json", "--output", out]);
    if (g.code !== 1) throw new Error(`crisp-guard dir exited ${g.code}: ${g.stderr}`);
    guard.push(g);
    report = JSON.parse(await readFile(out, "utf8"));
    if (baselineCli) {
      const b = await measureNode(baselineCli, ["dir", corpus, "--format", "json", "--output", out]);
      if (b.code !== 1) throw new Error(`baseline crisp-guard dir exited ${b.code}: ${b.stderr}`);
      base.push(b);
    }
  }
  await rm(out, { force: true });
  const bytes = report.scan.bytesScanned;
  const floorMs = median(floor.map((r) => r.ms));
  const floor8Ms = median(floor8.map((r) => r.ms));
  const guardMs = median(guard.map((r) => r.ms));
  const result = {
    corpus: { path: corpus, files: manifest.files, mb: +(bytes / 1024 / 1024).toFixed(1), planted: manifest.planted },
    found: report.findings.length,
    runs: RUNS,
    floorMBps: +(bytes / 1024 / 1024 / (floorMs / 1000)).toFixed(1),
    crispGuardMBps: +(bytes / 1024 / 1024 / (guardMs / 1000)).toFixed(1),
    ratio: +(floorMs / guardMs).toFixed(2),
    floor8MBps: +(bytes / 1024 / 1024 / (floor8Ms / 1000)).toFixed(1),
    ratioToFloor8: +(floor8Ms / guardMs).toFixed(2),
    floorMs: Math.round(floorMs),
    crispGuardMs: Math.round(guardMs),
    crispGuardPeakRssMb: Math.round(Math.max(...guard.map((r) => r.maxRssMb))),
    floorPeakRssMb: Math.round(Math.max(...floor.map((r) => r.maxRssMb))),
    ...(base.length
      ? {
          baselineMBps: +(bytes / 1024 / 1024 / (median(base.map((r) => r.ms)) / 1000)).toFixed(1),
          // Per run, this build's throughput over the baseline's measured right after it.
          vsBaselinePerRun: guard.map((g, i) => +(base[i].ms / g.ms).toFixed(2)),
        }
      : {}),
  };
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchDir();
  console.log(JSON.stringify(r, null, 2));
  console.log(`dir: ${r.crispGuardMBps} MB/s vs floor ${r.floorMBps} MB/s → ${(r.ratio * 100).toFixed(0)}% of the floor (target ≥ 50%); ` +
    `vs the floor with 8 reads at once ${r.floor8MBps} MB/s → ${(r.ratioToFloor8 * 100).toFixed(0)}%; ` +
    `peak RSS ${r.crispGuardPeakRssMb} MB (target < 300 MB); found ${r.found}/${r.corpus.planted} planted` +
    (r.baselineMBps ? `; baseline build ${r.baselineMBps} MB/s, this build / baseline per run: ${r.vsBaselinePerRun.join(", ")}` : ""));
}
