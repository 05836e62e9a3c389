// The scan pool: the detector in worker threads (the built dist/sources/scan-worker.js), each file
// within a time budget. What comes back is a Keypair again (redacted in JSON and inspect forms).
import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { Keypair } from "../../src/detect/index.js";
import { parsePatch } from "../../src/sources/patch.js";
import { wholeFileScanRequest } from "../../src/sources/push-file.js";
import { createScanPool, type ScanPool } from "../../src/sources/scan-pool.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";

let pool: ScanPool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

function heavyFile(size: number): string {
  const parts = ["crisp\n", "x".repeat(size / 2), "\n"];
  for (let n = 0; n < size / 2; ) {
    const unit = `value: ${randomUUID()} `;
    parts.push(unit);
    n += unit.length;
  }
  return parts.join("");
}

describe("scan pool", () => {
  it("finds a keypair in a thread and hands back a Keypair whose printable forms are redacted", async () => {
    const kp = randomKeypair();
    const text = `# crisp\nCRISP_IDENTIFIER=${kp.identifier}\nCRISP_KEY=${kp.key}\n`;
    const parsed = parsePatch(`@@ -0,0 +1,3 @@\n+# crisp\n+CRISP_IDENTIFIER=${kp.identifier}\n+CRISP_KEY=${kp.key}`);
    pool = createScanPool({ threads: 1, budgetMs: 10_000 });
    const outcome = await pool.scanFile(wholeFileScanRequest("config/.env", text, parsed));
    expect("scan" in outcome).toBe(true);
    if (!("scan" in outcome)) return;
    const [{ candidate, line }] = outcome.scan.candidates as [(typeof outcome.scan.candidates)[0]];
    expect(line).toBe(3);
    expect(candidate.keypair).toBeInstanceOf(Keypair);
    expect(candidate.keypair.reveal()).toEqual({ identifier: kp.identifier, key: kp.key });
    expect(candidate.occurrence).toMatchObject({ path: "config/.env", line: 3 });
    expect(holdsRaw(JSON.stringify(outcome), kp)).toBe(false);
    expect(holdsRaw(inspect(outcome, { depth: 10 }), kp)).toBe(false);
  });

  it("stops a file at the budget: its thread is terminated, the file reported not scanned, the pool still works", async () => {
    pool = createScanPool({ threads: 1, budgetMs: 150 });
    const text = heavyFile(12 * 1024 * 1024);
    const started = performance.now();
    const outcome = await pool.scanFile(wholeFileScanRequest("dump.yml", text, null));
    const ms = performance.now() - started;
    expect(outcome).toEqual({ notScanned: "scanning took longer than the 150 ms budget per file: not scanned" });
    // Well before the scan itself would end (seconds at this size): the thread did not run on.
    expect(ms).toBeLessThan(1500);

    // One thread: had the large scan gone on, the next file would wait for it.
    const kp = randomKeypair();
    const next = performance.now();
    const small = await pool.scanFile(wholeFileScanRequest("crisp.env", `CRISP_IDENTIFIER=${kp.identifier}\nCRISP_KEY=${kp.key}\n`, null));
    expect("scan" in small && small.scan.candidates.length).toBe(1);
    expect(performance.now() - next).toBeLessThan(1500);
  });
});
