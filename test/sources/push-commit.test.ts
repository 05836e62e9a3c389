import { describe, expect, it } from "vitest";
import { Keypair } from "../../src/detect/fingerprint.js";
import type { Blob } from "../../src/sources/push-blobs.js";
import {
  type CommitFile, type CommitScanDeps, addChangedFile, blobNotScanned, emptyCommitScan, scanChangedFile, scanCommitFiles,
} from "../../src/sources/push-commit.js";
import { type FileScanner, inProcessScanner } from "../../src/sources/push-file.js";
import { randomKeypair, randomWebsiteId } from "../helpers/keypairs.js";
import { fakeDetect, fakePrefilter } from "./push-fakes.js";

const kp = randomKeypair();
const fingerprint = new Keypair(kp.identifier, kp.key).fingerprint;
const META = { sha: "c".repeat(40), author: "Mona Lisa", date: "2025-01-10T09:00:00Z", merge: false };

/** The fake detector in this thread, a blob table, and a record of what was read and scanned. */
function deps(blobs: Record<string, Blob> = {}, options: { ignore?: (path: string) => boolean; scanFile?: FileScanner } = {}) {
  const reads: string[] = [];
  const scanned: Array<{ path: string; whole: boolean }> = [];
  const inner = options.scanFile ?? inProcessScanner(fakeDetect, fakePrefilter);
  const d: CommitScanDeps = {
    scanFile: (request) => {
      scanned.push({ path: request.path, whole: isWholeEnvFile(request.text) });
      return inner(request);
    },
    readBlob: async (sha) => {
      reads.push(sha);
      return blobs[sha] ?? { kind: "missing", reason: `no blob ${sha} in the test` };
    },
    ignore: options.ignore ?? (() => false),
  };
  return { deps: d, reads, scanned };
}

/** The whole env file below, not a patch of it: only the whole file has the comment on line 1. */
const isWholeEnvFile = (t: string) => t.startsWith("# support widget");
const text = (t: string): Blob => ({ kind: "text", text: t });
const envFile = (site: string) => ["# support widget", `CRISP_WEBSITE_ID=${site}`, `CRISP_IDENTIFIER=${kp.identifier}`, "APP_ENV=production", `CRISP_KEY=${kp.key}`].join("\n");
// The key is added; its identifier sits on a line the patch does not show.
const keyOnlyPatch = ["@@ -4,1 +4,2 @@", " APP_ENV=production", `+CRISP_KEY=${kp.key}`].join("\n");
const file = (f: Partial<CommitFile> & { filename: string }): CommitFile => ({ status: "modified", sha: "b".repeat(40), changes: 1, ...f });

describe("blobNotScanned: which blob outcome is a count and which a gap", () => {
  it("large and binary are counted as skipped; a blob GitHub could not give is a gap with its reason", () => {
    expect(blobNotScanned({ kind: "large", size: 30_000_000 })).toEqual({ skipped: "large", gap: null });
    expect(blobNotScanned({ kind: "binary" })).toEqual({ skipped: "binary", gap: null });
    expect(blobNotScanned({ kind: "missing", reason: "blob b could not be read (404)" })).toEqual({ skipped: null, gap: "blob b could not be read (404)" });
  });
});

describe("scanChangedFile: when a whole file is fetched", () => {
  it("never for a removed file, an ignored one, a pure rename or a patch that adds nothing", async () => {
    const { deps: d, reads, scanned } = deps({}, { ignore: (p) => p.startsWith("vendor/") });
    expect(await scanChangedFile(file({ filename: "gone.env", status: "removed" }), d)).toMatchObject({ scan: null, skipped: null, gap: null });
    expect(await scanChangedFile(file({ filename: "vendor/crisp.env" }), d)).toMatchObject({ scan: null, skipped: "ignored", gap: null });
    expect(await scanChangedFile(file({ filename: "new-name.env", status: "renamed", changes: 0 }), d)).toMatchObject({ scan: null, gap: null });
    expect(await scanChangedFile(file({ filename: "a.env", patch: `@@ -1,2 +1,1 @@\n CRISP_KEY=${kp.key}\n-CRISP_TIER=plugin` }), d)).toMatchObject({ scan: null, gap: null });
    expect(reads).toEqual([]);
    expect(scanned).toEqual([]);
  });

  it("not when the patch pairs the keypair itself: the patch's scan is the file's", async () => {
    const { deps: d, reads } = deps();
    const patch = ["@@ -0,0 +1,2 @@", `+CRISP_IDENTIFIER=${kp.identifier}`, `+CRISP_KEY=${kp.key}`].join("\n");
    const out = await scanChangedFile(file({ filename: ".env", patch }), d);
    expect(reads).toEqual([]);
    expect(out.scan?.candidates.map((c) => [c.candidate.fingerprint, c.line])).toEqual([[fingerprint, 1]]);
    expect(out.parsed?.added.size).toBe(2);
  });

  it("when an added line holds a half the patch cannot pair: the blob is read and scanned whole", async () => {
    const { deps: d, reads, scanned } = deps({ ["b".repeat(40)]: text(envFile(randomWebsiteId())) });
    const out = await scanChangedFile(file({ filename: "config/.env", patch: keyOnlyPatch }), d);
    expect(reads).toEqual(["b".repeat(40)]);
    expect(scanned.map((s) => s.whole)).toEqual([false, true]);
    // Found at the identifier's line, kept because the key's line (5) was added.
    expect(out.scan?.candidates.map((c) => [c.candidate.occurrence.line, c.line])).toEqual([[3, 5]]);
    expect(out).toMatchObject({ skipped: null, gap: null });
  });

  it("a whole file that is large, binary or missing keeps the patch's scan, and says why", async () => {
    for (const [blob, expected] of [
      [{ kind: "large", size: 1 << 30 }, { skipped: "large", gap: null }],
      [{ kind: "binary" }, { skipped: "binary", gap: null }],
      [{ kind: "missing", reason: "blob gone (404)" }, { skipped: null, gap: "blob gone (404)" }],
    ] as const) {
      const { deps: d } = deps({ ["b".repeat(40)]: blob });
      const out = await scanChangedFile(file({ filename: "config/.env", patch: keyOnlyPatch }), d);
      expect(out).toMatchObject(expected);
      expect(out.scan).not.toBeNull(); // the patch's scan
      expect(out.scan?.bytesScanned).toBe(Buffer.byteLength(`CRISP_KEY=${kp.key}`) + 1);
    }
  });

  it("a whole file not scanned in time is a gap, and the patch's scan still counts", async () => {
    const inner = inProcessScanner(fakeDetect, fakePrefilter);
    const slowOnWhole: FileScanner = async (request) => (isWholeEnvFile(request.text) ? { notScanned: "timed out" } : inner(request));
    const { deps: d } = deps({ ["b".repeat(40)]: text(envFile(randomWebsiteId())) }, { scanFile: slowOnWhole });
    const out = await scanChangedFile(file({ filename: "config/.env", patch: keyOnlyPatch }), d);
    expect(out.gap).toBe("timed out");
    expect(out.scan).not.toBeNull();
  });

  it("a patch not scanned is a gap, and no blob is read", async () => {
    const { deps: d, reads } = deps({}, { scanFile: async () => ({ notScanned: "timed out" }) });
    const out = await scanChangedFile(file({ filename: "config/.env", patch: keyOnlyPatch }), d);
    expect(out).toMatchObject({ scan: null, skipped: null, gap: "timed out" });
    expect(reads).toEqual([]);
  });

  it("without a patch: the blob is scanned whole, every candidate counts; no blob sha is a gap", async () => {
    const { deps: d, reads } = deps({ ["b".repeat(40)]: text(envFile(randomWebsiteId())) });
    const out = await scanChangedFile(file({ filename: "dist/app.js", status: "added", changes: 48210 }), d);
    expect(reads).toEqual(["b".repeat(40)]);
    expect(out.parsed).toBeNull();
    expect(out.scan?.candidates.map((c) => c.line)).toEqual([null]);
    const none = await scanChangedFile(file({ filename: "dist/app.js", status: "added", sha: null }), d);
    expect(none).toMatchObject({ scan: null, gap: "no patch and no blob" });
    expect(reads).toHaveLength(1);
  });

  it("without a patch: a large, binary or missing blob is counted or a gap, nothing scanned", async () => {
    const { deps: d } = deps({ ["1".repeat(40)]: { kind: "large", size: 1 << 30 }, ["2".repeat(40)]: { kind: "binary" } });
    expect(await scanChangedFile(file({ filename: "dump.sql", sha: "1".repeat(40) }), d)).toMatchObject({ scan: null, skipped: "large" });
    expect(await scanChangedFile(file({ filename: "logo.png", sha: "2".repeat(40) }), d)).toMatchObject({ scan: null, skipped: "binary" });
    expect(await scanChangedFile(file({ filename: "gone.bin", sha: "3".repeat(40) }), d)).toMatchObject({ scan: null, gap: `no blob ${"3".repeat(40)} in the test` });
  });
});

describe("addChangedFile and scanCommitFiles", () => {
  it("attribute what a file holds to the commit, at its diff position, and count what was skipped", async () => {
    const site = randomWebsiteId();
    const { deps: d } = deps({ ["b".repeat(40)]: text(envFile(site)), ["1".repeat(40)]: { kind: "binary" } }, { ignore: (p) => p === "ignored.env" });
    const cut = { commit: META.sha, reason: "the commit's file list was cut" };
    const commit = await scanCommitFiles(META, [
      file({ filename: "config/.env", patch: keyOnlyPatch }),
      file({ filename: "ignored.env", patch: keyOnlyPatch }),
      file({ filename: "logo.png", sha: "1".repeat(40) }),
      file({ filename: "blob-gone.txt", sha: "9".repeat(40) }),
    ], d, [cut]);
    expect(commit.stats).toEqual({ filesScanned: 1, bytesScanned: Buffer.byteLength(envFile(site)), skippedLarge: 0, skippedBinary: 1, skippedIgnored: 1 });
    expect(commit.gaps).toEqual([cut, { commit: META.sha, path: "blob-gone.txt", reason: `no blob ${"9".repeat(40)} in the test` }]);
    expect(commit.websiteIds).toEqual([site]);
    expect(commit.found).toHaveLength(1);
    expect(commit.found[0]!.occurrence).toMatchObject({ path: "config/.env", line: 3, commit: META.sha, author: META.author, date: META.date });
    expect(commit.found[0]!.position).toBe(2); // the added key line, second line of the hunk
    expect([...commit.files.keys()]).toEqual(["config/.env"]);
  });

  it("leaves author and date out when GitHub gives none, and keeps no diff map for a file without a patch", async () => {
    const { deps: d } = deps({ ["b".repeat(40)]: text(envFile(randomWebsiteId())) });
    const file1 = await scanChangedFile(file({ filename: "dist/app.js", status: "added" }), d);
    const commit = emptyCommitScan({ ...META, author: null, date: null });
    addChangedFile(commit, "dist/app.js", file1);
    expect(commit.found[0]!.occurrence).not.toHaveProperty("author");
    expect(commit.found[0]!.occurrence).not.toHaveProperty("date");
    expect(commit.found[0]!.position).toBeNull();
    expect(commit.files.size).toBe(0);
  });
});
