// Pure: which cross-file pairs of the pushed tree are the push's, and where their occurrences point.
import { describe, expect, it } from "vitest";
import { detect } from "../../src/detect/index.js";
import { fingerprint } from "../../src/detect/fingerprint.js";
import type { LoneHalf } from "../../src/detect/types.js";
import type { PushLoneHalf } from "../../src/sources/push.js";
import { pairPushHalves } from "../../src/sources/push-cross-file.js";
import { scanFileText } from "../../src/sources/push-file.js";
import { fromWire, toWire } from "../../src/sources/scan-wire.js";
import { mayContainHalf } from "../../src/detect/index.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";

const lone = (path: string, text: string): LoneHalf[] => detect(text, { path }).lone ?? [];
const idFile = (id: string) => `crisp:\n  id: ${id}\n`;
const keyFile = (key: string) => `PORT=3000\nCRISP_KEY=${key}\n`;
const pushed = (halves: LoneHalf[], commit: string, position: number | null): PushLoneHalf[] =>
  halves.map((h) => ({ ...h, occurrence: { ...h.occurrence, commit }, position }));

describe("pairPushHalves", () => {
  it("a key pushed beside an identifier already in the tree: the pushed occurrence keeps its commit and position, the partner gets that commit", () => {
    const kp = randomKeypair();
    const tree = [...lone("config.yaml", idFile(kp.identifier)), ...lone(".env", keyFile(kp.key))];
    const out = pairPushHalves(pushed(lone(".env", keyFile(kp.key)), "c2", 2), tree);
    expect(out.map((c) => [c.fingerprint, c.occurrence.path, c.occurrence.line, c.occurrence.commit, c.position])).toEqual([
      [fingerprint(kp.identifier, kp.key), "config.yaml", 2, "c2", null],
      [fingerprint(kp.identifier, kp.key), ".env", 2, "c2", 2],
    ]);
  });

  it("a pair the tree already held is not the push's: a push adding an unrelated lone half reports nothing", () => {
    const old = randomKeypair();
    const other = randomKeypair();
    const tree = [...lone("config.yaml", idFile(old.identifier)), ...lone(".env", keyFile(old.key)), ...lone("b/.env", `STAGING_CRISP_KEY=${other.key}\n`)];
    expect(pairPushHalves(pushed(lone("b/.env", `STAGING_CRISP_KEY=${other.key}\n`), "c9", 1), tree)).toEqual([]);
  });

  it("no pushed half, or an ambiguous tree (two identifiers for one key): nothing", () => {
    const kp = randomKeypair();
    const tree = [...lone("a/config.yaml", idFile(kp.identifier)), ...lone("b/config.yaml", idFile(randomKeypair().identifier)), ...lone(".env", keyFile(kp.key))];
    expect(pairPushHalves([], tree)).toEqual([]);
    expect(pairPushHalves(pushed(lone(".env", keyFile(kp.key)), "c2", 2), tree)).toEqual([]);
  });
});

describe("lone halves of a file scan", () => {
  it("keep only the lines the commit added, and cross threads without a raw half in their plain form", () => {
    const kp = randomKeypair();
    const text = keyFile(kp.key);
    const added = { lines: [], added: new Set([1]), positions: new Map() } as never;
    expect(scanFileText({ path: ".env", text, parsed: added, bytesScanned: 0 }, detect, mayContainHalf).lone).toEqual([]);
    const scan = scanFileText({ path: ".env", text, parsed: null, bytesScanned: 0 }, detect, mayContainHalf);
    expect(scan.lone).toHaveLength(1);
    const back = fromWire(structuredClone(toWire(scan)));
    expect(back.lone![0]!.half.reveal()).toBe(kp.key);
    expect(holdsRaw(JSON.stringify(back), kp)).toBe(false);
  });
});
