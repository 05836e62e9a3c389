// Halves in different files of one tree: the per-file detector returns lone labelled halves, and
// pairAcrossFiles pairs them only when the pairing is unambiguous.
import { inspect } from "node:util";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { detect, pairAcrossFiles } from "../../src/detect/index.js";
import { fingerprint } from "../../src/detect/fingerprint.js";
import type { LoneHalf } from "../../src/detect/types.js";
import { hex64, kp, type Raw } from "./support.js";

const b64 = (s: string): string => Buffer.from(s).toString("base64");

/** Runs the per-file detector over each file and the tree pass over their lone halves. */
function scanTree(files: Record<string, string>): { lone: LoneHalf[]; cross: ReturnType<typeof pairAcrossFiles>; inFile: number } {
  const lone: LoneHalf[] = [];
  let inFile = 0;
  for (const [path, text] of Object.entries(files)) {
    const r = detect(text, { path });
    inFile += r.candidates.length;
    lone.push(...(r.lone ?? []));
  }
  return { lone, cross: pairAcrossFiles(lone), inFile };
}

function expectPaired(files: Record<string, string>, k: Raw, places: [string, number][]): ReturnType<typeof pairAcrossFiles> {
  const { cross, inFile } = scanTree(files);
  expect(inFile).toBe(0);
  expect(cross.map((c) => c.fingerprint)).toEqual(places.map(() => fingerprint(k.identifier, k.key)));
  expect(cross.map((c) => [c.occurrence.path, c.occurrence.line])).toEqual(places);
  for (const c of cross) expect(c.suppressed).toBeNull();
  return cross;
}

describe("lone labelled halves", () => {
  it("a half under a Crisp label with no partner is returned, its value redacted in every printed form", () => {
    const k = kp();
    const r = detect(`CRISP_KEY=${k.key}\n`, { path: ".env" });
    expect(r.candidates).toEqual([]);
    expect(r.lone).toHaveLength(1);
    const [half] = r.lone!;
    expect(half!).toMatchObject({ kind: "key", label: "CRISP_KEY", occurrence: { path: ".env", line: 1, column: 11 } });
    expect(half!.half.reveal()).toBe(k.key);
    const printed = [JSON.stringify(r), inspect(r, { depth: 10 }), String(half!.half)].join("\n");
    expect(printed).not.toContain(k.key);
    expect(printed).toContain(k.key.slice(-4));
  });

  it("halves that paired in their file, and unlabelled or non-credential halves, are not lone", () => {
    const k = kp();
    expect(detect(`CRISP_IDENTIFIER=${k.identifier}\nCRISP_KEY=${k.key}\n`, { path: ".env" }).lone).toEqual([]);
    expect(detect(`# crisp\n${randomUUID()}\nbuild_key: ${hex64()}\nCRISP_BOT_NAME=${randomUUID()}\n`, { path: "notes.txt" }).lone).toEqual([]);
  });

  it("a bare `id:` counts only inside a crisp section (or a file whose path names Crisp)", () => {
    const inside = detect(`crisp:\n  id: ${randomUUID()}\n`, { path: "config.yaml" }).lone!;
    const sibling = detect(`crisp:\n  website: ${randomUUID()}\nother:\n  id: ${randomUUID()}\n`, { path: "config.yaml" }).lone!;
    const byPath = detect(`id: ${randomUUID()}\n`, { path: "config/crisp.yaml" }).lone!;
    expect(inside.map((l) => l.kind)).toEqual(["identifier"]);
    expect(sibling).toEqual([]);
    expect(byPath.map((l) => l.kind)).toEqual(["identifier"]);
  });

  it("documented examples, placeholders, allowed lines and other vendors' labels are not lone halves", () => {
    const text = [
      `CRISP_IDENTIFIER=7c3ef21c-1e04-41ce-8c06-5605c346f73e`,
      `CRISP_KEY=${"0".repeat(64)}`,
      `CRISP_TOKEN_KEY=${hex64()} # crisp-guard:allow`,
      `SPACE_CLIENT_ID=${randomUUID()}`,
    ].join("\n");
    expect(detect(text, { path: ".env" }).lone).toEqual([]);
  });
});

describe("pairing across files", () => {
  it("a bot's config.yaml `crisp: { id }` and the key in .env", () => {
    const k = kp();
    expectPaired({ "config.yaml": `bot:\n  name: helper\ncrisp:\n  id: ${k.identifier}\n`, ".env": `PORT=3000\nCRISP_KEY=${k.key}\n` }, k, [
      ["config.yaml", 4],
      [".env", 2],
    ]);
  });

  it("a Laravel config/crisp.php env() fallback and CRISP_KEY in .env", () => {
    const k = kp();
    const php = `<?php\nreturn [\n    'tier' => env('CRISP_TIER', 'plugin'),\n    'identifier' => env('CRISP_IDENTIFIER', '${k.identifier}'),\n    'key' => env('CRISP_KEY'),\n];\n`;
    const [c] = expectPaired({ "config/crisp.php": php, ".env": `APP_ENV=local\nCRISP_KEY=${k.key}\n` }, k, [
      ["config/crisp.php", 4],
      [".env", 2],
    ]);
    expect(c!.tier).toBe("plugin");
  });

  it("a Kubernetes ConfigMap with the identifier and a Secret with the key (base64)", () => {
    const k = kp();
    const configMap = `apiVersion: v1\nkind: ConfigMap\ndata:\n  CRISP_IDENTIFIER: ${k.identifier}\n`;
    const secret = `apiVersion: v1\nkind: Secret\ndata:\n  CRISP_KEY: ${b64(k.key)}\n`;
    const cross = expectPaired({ "k8s/configmap.yaml": configMap, "k8s/secret.yaml": secret }, k, [
      ["k8s/configmap.yaml", 4],
      ["k8s/secret.yaml", 4],
    ]);
    expect(cross.map((c) => c.occurrence.encoding)).toEqual(["plain", "base64"]);
  });

  it("groups by label family: CRISP_PLUGIN_* with each other, CRISP_WEBSITE_* with each other", () => {
    const p = kp();
    const w = kp();
    const { cross } = scanTree({
      "a.env": `CRISP_PLUGIN_ID=${p.identifier}\nCRISP_WEBSITE_IDENTIFIER=${w.identifier}\n`,
      "b.env": `CRISP_WEBSITE_KEY=${w.key}\nCRISP_PLUGIN_KEY=${p.key}\n`,
    });
    const byFp = new Map(cross.map((c) => [c.fingerprint, c]));
    expect([...byFp.keys()].sort()).toEqual([fingerprint(p.identifier, p.key), fingerprint(w.identifier, w.key)].sort());
    expect(byFp.get(fingerprint(p.identifier, p.key))!.tier).toBe("plugin");
    expect(byFp.get(fingerprint(w.identifier, w.key))!.tier).toBe("website");
  });

  it("the same half copied in two files is one half: every copy is an occurrence", () => {
    const k = kp();
    const { cross } = scanTree({ "config.yaml": `crisp:\n  id: ${k.identifier}\n`, ".env": `CRISP_KEY=${k.key}\n`, ".env.local": `CRISP_KEY=${k.key}\n` });
    expect(cross.map((c) => c.occurrence.path)).toEqual(["config.yaml", ".env", ".env.local"]);
  });

  it("the website id beside a half is the candidate's", () => {
    const k = kp();
    const site = randomUUID();
    const { cross } = scanTree({ "config.yaml": `crisp:\n  website: ${site}\n  id: ${k.identifier}\n`, ".env": `CRISP_KEY=${k.key}\n` });
    expect(cross.map((c) => c.websiteId)).toEqual([site, site]);
  });

  describe("never guesses", () => {
    it("two lone identifiers and one key: no pair", () => {
      const { cross } = scanTree({
        "a/config.yaml": `crisp:\n  id: ${randomUUID()}\n`,
        "b/config.yaml": `crisp:\n  id: ${randomUUID()}\n`,
        ".env": `CRISP_KEY=${hex64()}\n`,
      });
      expect(cross).toEqual([]);
    });

    it("one identifier and two keys: no pair", () => {
      const { cross } = scanTree({ "config.yaml": `crisp:\n  id: ${randomUUID()}\n`, "a.env": `CRISP_KEY=${hex64()}\n`, "b.env": `CRISP_KEY=${hex64()}\n` });
      expect(cross).toEqual([]);
    });

    it("labels of different families do not pair (staging identifier, production key)", () => {
      const { cross } = scanTree({ "a.env": `STAGING_CRISP_IDENTIFIER=${randomUUID()}\n`, "b.env": `PROD_CRISP_KEY=${hex64()}\n` });
      expect(cross).toEqual([]);
    });

    it("a Marketplace plugin id never pairs with a key not labelled for the plugin tier", () => {
      const { cross } = scanTree({ "a.env": `CRISP_PLUGIN_ID=${randomUUID()}\n`, "b.env": `CRISP_KEY=${hex64()}\n` });
      expect(cross).toEqual([]);
    });

    it("an `id:` in a crisp plugin section is the plugin's public id: it pairs only with a plugin key", () => {
      const yaml = `crisp:\n  plugin:\n    id: ${randomUUID()}\n    name: helper\n`;
      expect(scanTree({ "config.yaml": yaml, ".env": `CRISP_KEY=${hex64()}\n` }).cross).toEqual([]);
      const toml = `[crisp.plugin]\nid = "${randomUUID()}"\n`;
      expect(scanTree({ "config.toml": toml, ".env": `CRISP_KEY=${hex64()}\n` }).cross).toEqual([]);
      // The same file's `id:` outside the plugin section, or a token identifier inside it, still pairs.
      const k = kp();
      const sibling = `crisp:\n  plugin:\n    name: helper\n  id: ${k.identifier}\n`;
      expectPaired({ "config.yaml": sibling, ".env": `CRISP_KEY=${k.key}\n` }, k, [["config.yaml", 4], [".env", 1]]);
      const t = kp();
      const token = `crisp:\n  plugin:\n    identifier: ${t.identifier}\n`;
      expectPaired({ "config.yaml": token, ".env": `CRISP_KEY=${t.key}\n` }, t, [["config.yaml", 3], [".env", 1]]);
      // Beside a key labelled for the plugin tier, the plugin id pairs (as CRISP_PLUGIN_ID does).
      const p = kp();
      expectPaired(
        { "config.yaml": `crisp:\n  plugin:\n    id: ${p.identifier}\n`, ".env": `CRISP_PLUGIN_KEY=${p.key}\n` },
        p,
        [["config.yaml", 3], [".env", 1]],
      );
    });

    it("unlabelled halves, or halves without Crisp labels, do not pair", () => {
      const { cross } = scanTree({
        "notes/crisp.txt": `${randomUUID()}\n`,
        "config.yaml": `crisp:\n  enabled: true\nstripe:\n  id: ${randomUUID()}\n`,
        ".env": `SECRET=${hex64()} # crisp\n`,
      });
      expect(cross).toEqual([]);
    });

    it("another vendor's id and Crisp's lone key do not pair", () => {
      const { cross } = scanTree({ "a.env": `SPACE_CLIENT_ID=${randomUUID()}\nCRISP_WEBSITE_ID=${randomUUID()}\n`, "b.env": `CRISP_KEY=${hex64()}\n` });
      expect(cross).toEqual([]);
    });

    it("halves left alone in the same file are not paired by the tree pass", () => {
      const text = `CRISP_IDENTIFIER=${randomUUID()}\n${"#\n".repeat(250)}CRISP_KEY=${hex64()}\n`;
      const { cross, lone } = scanTree({ ".env": text });
      expect(lone).toHaveLength(2);
      expect(cross).toEqual([]);
    });
  });
});
