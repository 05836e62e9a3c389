import { describe, expect, it } from "vitest";
import { parsePatch } from "../../src/sources/patch.js";
import { holdsHalfKeypair, introducingLine, needsWholeFile, scanPatch, scanWholeFile } from "../../src/sources/push-file.js";
import { randomKeypair } from "../helpers/keypairs.js";
import { fakeDetect, fakePrefilter } from "./push-fakes.js";

const kp = randomKeypair();
const never = () => false;

describe("holdsHalfKeypair", () => {
  it("sees a UUID or a run of exactly 64 hex", () => {
    expect(holdsHalfKeypair(`id: ${kp.identifier}`)).toBe(true);
    expect(holdsHalfKeypair(`key: ${kp.key}`)).toBe(true);
    expect(holdsHalfKeypair(`sha512: ${kp.key}${kp.key}`)).toBe(false); // part of a longer run
    expect(holdsHalfKeypair(`commit ${"a".repeat(40)}`)).toBe(false);
  });
});

describe("needsWholeFile", () => {
  it("reads the whole file when a key is added in a file with Crisp context", () => {
    const inPatch = parsePatch(["@@ -5,1 +5,2 @@", " # crisp", `+KEY=${kp.key}`].join("\n"));
    expect(needsWholeFile("config/.env", inPatch)).toBe(true);
    const inPath = parsePatch(["@@ -5,1 +5,2 @@", " x", `+value ${kp.key}`].join("\n"));
    expect(needsWholeFile("config/crisp.yml", inPath)).toBe(true);
    const labelled = parsePatch(["@@ -5,1 +5,2 @@", " x", `+SUPPORT_CHAT_KEY=${kp.key}`].join("\n"));
    expect(needsWholeFile("config/.env", labelled)).toBe(true);
  });

  it("does not for a checksum in a lock file, or a half only on an unchanged line", () => {
    const lock = parsePatch(["@@ -1,1 +1,2 @@", ' name = "x"', `+checksum = "${kp.key}"`].join("\n"));
    expect(needsWholeFile("Cargo.lock", lock)).toBe(false);
    const unchanged = parsePatch(["@@ -1,1 +1,2 @@", ` CRISP_KEY=${kp.key}`, "+CRISP_TIER=plugin"].join("\n"));
    expect(needsWholeFile(".env", unchanged)).toBe(false);
  });
});

describe("base64 halves (Kubernetes Secret data:)", () => {
  const b64 = (s: string) => Buffer.from(s).toString("base64");

  it("an identifier changed inside a Secret (key unchanged, far below): whole file read, its line introduces the keypair", async () => {
    const { detect } = await import("../../src/detect/index.js");
    const lines = ["apiVersion: v1", "kind: Secret", "metadata:", "  name: crisp", "data:", `  CRISP_IDENTIFIER: ${b64(kp.identifier)}`];
    for (let i = 0; i < 5; i++) lines.push(`  OTHER_${i}: ${b64(`v${i}`)}`);
    lines.push(`  CRISP_KEY: ${b64(kp.key)}`);
    const old = randomKeypair().identifier;
    const parsed = parsePatch(
      ["@@ -5,3 +5,3 @@ metadata:", " data:", `-  CRISP_IDENTIFIER: ${b64(old)}`, `+  CRISP_IDENTIFIER: ${b64(kp.identifier)}`, `   OTHER_0: ${b64("v0")}`].join("\n"),
    );
    expect(holdsHalfKeypair(`  CRISP_KEY: ${b64(kp.key)}`)).toBe(true);
    expect(needsWholeFile("k8s/secret.yaml", parsed)).toBe(true);
    const [candidate] = detect(lines.join("\n"), { path: "k8s/secret.yaml" }).candidates;
    expect(candidate!.occurrence.line).toBe(12); // the key's line, unchanged
    expect(introducingLine(candidate!, parsed)).toBe(6);
  });
});

describe("scanPatch and scanWholeFile", () => {
  it("finds a keypair added whole in the patch, at file line numbers", () => {
    const parsed = parsePatch(
      ["@@ -10,1 +10,3 @@", " # Crisp", `+CRISP_IDENTIFIER=${kp.identifier}`, `+CRISP_KEY=${kp.key}`].join("\n"),
    );
    const scan = scanPatch(".env", parsed, fakeDetect, fakePrefilter);
    expect(scan.candidates).toHaveLength(1);
    expect(scan.candidates[0]!.candidate.occurrence).toMatchObject({ path: ".env", line: 11, column: 18 });
    expect(scan.candidates[0]!.line).toBe(11);
  });

  it("drops a keypair that only sits on context lines", () => {
    const parsed = parsePatch(
      ["@@ -1,2 +1,3 @@", ` CRISP_IDENTIFIER=${kp.identifier}`, ` CRISP_KEY=${kp.key}`, "+CRISP_TIER=plugin"].join("\n"),
    );
    expect(scanPatch(".env", parsed, fakeDetect, fakePrefilter).candidates).toEqual([]);
  });

  it("keeps a key added under an unchanged identifier, at the key's added line", () => {
    const whole = ["# Crisp", `CRISP_IDENTIFIER=${kp.identifier}`, ...Array(20).fill("OTHER=1"), `CRISP_KEY=${kp.key}`].join("\n");
    const parsed = parsePatch(["@@ -21,2 +21,3 @@", " OTHER=1", " OTHER=1", `+CRISP_KEY=${kp.key}`].join("\n"));
    expect(needsWholeFile("config/.env", parsed)).toBe(true);
    const scan = scanWholeFile("config/.env", whole, parsed, fakeDetect, fakePrefilter);
    expect(scan.candidates).toHaveLength(1);
    const { candidate, line } = scan.candidates[0]!;
    expect(candidate.occurrence.line).toBe(2); // the detector names the identifier's line
    expect(line).toBe(23); // the commit introduced it on the key's line
    expect(introducingLine(candidate, parsed)).toBe(23);
  });

  it("keeps everything in a whole file without a patch", () => {
    const whole = [`CRISP_IDENTIFIER=${kp.identifier}`, `CRISP_KEY=${kp.key}`].join("\n");
    const scan = scanWholeFile("bundle.js", whole, null, fakeDetect, fakePrefilter);
    expect(scan.candidates.map((c) => c.line)).toEqual([null]);
    expect(scan.bytesScanned).toBe(Buffer.byteLength(whole));
  });

  it("does not run the detector when the prefilter says no", () => {
    const parsed = parsePatch(["@@ -1,0 +1,1 @@", `+CRISP_IDENTIFIER=${kp.identifier} CRISP_KEY=${kp.key}`].join("\n"));
    expect(scanPatch(".env", parsed, () => { throw new Error("detector ran"); }, never).candidates).toEqual([]);
  });
});
