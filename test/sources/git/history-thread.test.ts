import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keypair } from "../../../src/detect/fingerprint.js";
import { scanHistory } from "../../../src/sources/git/history.js";
import { scanHistoryInThread } from "../../../src/sources/git/history-thread.js";
import type { SourceResult } from "../../../src/sources/types.js";
import { buildHistoryFixture, tempDir, type HistoryFixture } from "./history-fixture.js";

let fx: HistoryFixture;
let inProcess: SourceResult;

beforeAll(async () => {
  fx = buildHistoryFixture();
  inProcess = await scanHistory(fx.repo, { maxFileSize: fx.maxFileSize });
});

afterAll(() => rmSync(fx.repo, { recursive: true, force: true }));

function gitProcessesOn(repo: string): string[] {
  const out = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  return out.split("\n").filter((l) => l.includes(repo) && l.includes("git") && !l.includes("ps -eo"));
}

describe("scanHistoryInThread", () => {
  it("gives the result scanHistory gives, with each keypair rebuilt as a Keypair", async () => {
    const threaded = await scanHistoryInThread(fx.repo, { maxFileSize: fx.maxFileSize });
    // The planted keypairs are found at all: the comparison is not of two empty results.
    expect(inProcess.candidates.length).toBeGreaterThanOrEqual(fx.expected.length);
    expect(threaded.stats).toEqual(inProcess.stats);
    expect(threaded.websiteIds.sort()).toEqual([...inProcess.websiteIds].sort());
    const plain = (r: SourceResult) =>
      r.candidates.map(({ keypair, ...rest }) => ({ ...rest, halves: keypair.reveal() })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(plain(threaded)).toEqual(plain(inProcess));
    for (const c of threaded.candidates) {
      expect(c.keypair).toBeInstanceOf(Keypair);
      // Still redacted when serialized: the thread's wire form does not leak into the result.
      expect(JSON.stringify(c)).not.toContain(c.keypair.reveal().key);
    }
  });

  it("reports progress from the thread", async () => {
    const phases = new Set<string>();
    await scanHistoryInThread(fx.repo, { maxFileSize: fx.maxFileSize, onProgress: (p) => phases.add(p.phase) });
    expect([...phases]).toEqual(expect.arrayContaining(["listing", "reading", "attributing"]));
  });

  it("fails with scanHistory's own message", async () => {
    const notRepo = tempDir();
    try {
      const direct = await scanHistory(notRepo).then(() => null, (e: Error) => e.message);
      expect(direct).toMatch(/not a git repository|cannot/);
      await expect(scanHistoryInThread(notRepo)).rejects.toThrow(direct!);
    } finally {
      rmSync(notRepo, { recursive: true, force: true });
    }
  });

  it("stops on abort, with an AbortError, and leaves no git process behind", async () => {
    const controller = new AbortController();
    const scan = scanHistoryInThread(fx.repo, {
      maxFileSize: fx.maxFileSize,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(scan).rejects.toMatchObject({ name: "AbortError" });
    let left = gitProcessesOn(fx.repo);
    for (let i = 0; i < 50 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = gitProcessesOn(fx.repo);
    }
    expect(left).toEqual([]);
  });

  it("rejects at once when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(scanHistoryInThread(fx.repo, { signal: controller.signal })).rejects.toMatchObject({ name: "AbortError" });
  });
});
