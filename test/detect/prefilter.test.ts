// mayContainKeypair: the cheap gate sources run on every file. It must never say "no" to a
// text detect() would report, and say "no" to most text.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mayContainKeypair } from "../../src/detect/index.js";
import { kp, scan } from "./support.js";

const b64 = (s: string): string => Buffer.from(s).toString("base64");

describe("mayContainKeypair", () => {
  it("says yes to every form the detector reports", () => {
    const k = kp();
    const texts: [string, string][] = [
      [`CRISP_IDENTIFIER=${k.identifier}\nCRISP_KEY=${k.key}`, ".env"],
      [`IDENTIFIER=${k.identifier}\nKEY=${k.key}`, "config/crisp.env"],
      [`x.AuthenticateTier("plugin", "${k.identifier}", "${k.key}")`, "main.go"],
      [`Authorization: Basic ${b64(`${k.identifier}:${k.key}`)}\nHost: api.crisp.chat`, "req.http"],
      [`data:\n  CRISP_IDENTIFIER: ${b64(k.identifier)}\n  CRISP_KEY: ${b64(k.key)}`, "secret.yaml"],
    ];
    for (const [text, path] of texts) {
      expect(scan(text, path).candidates.length).toBeGreaterThan(0);
      expect(mayContainKeypair(text, path)).toBe(true);
    }
  });

  it("says no without Crisp context, or without any shape", () => {
    const k = kp();
    expect(mayContainKeypair(`IDENTIFIER=${k.identifier}\nKEY=${k.key}`, "config/.env")).toBe(false);
    expect(mayContainKeypair("CRISP_IDENTIFIER=\nCRISP_KEY=\n", ".env")).toBe(false);
    expect(mayContainKeypair(`import { Crisp } from "crisp-sdk-web";\nCrisp.configure(WEBSITE_ID);`, "src/chat.ts")).toBe(false);
    expect(mayContainKeypair(`data:image/png;base64,${b64("\x89PNG\r\n" + "x".repeat(200))}  // crisp logo`, "logo.css")).toBe(false);
  });

  it("stays linear on a 10 MB minified line and still finds the keypair in it", () => {
    const k = kp();
    // Shapes that make naive patterns backtrack: near-UUIDs, long hex-ish and base64-ish runs.
    const chunk = `a=${"0".repeat(8)}-${"1".repeat(4)}-x;b="${"ab".repeat(40)}g";c="${"L".repeat(60)}";d=crisp;`;
    const filler = chunk.repeat(Math.ceil(5_000_000 / chunk.length));
    const text = `${filler}n.authenticateTier("website","${k.identifier}","${k.key}");${filler}`;
    expect(text.length).toBeGreaterThan(10_000_000);
    expect(mayContainKeypair(text, "dist/app.min.js")).toBe(true);
    const r = scan(text, "dist/app.min.js");
    expect(r.candidates.map((c) => c.keypair.fingerprint)).toHaveLength(1);
    expect(r.candidates[0]!.occurrence.column).toBe(text.indexOf(k.key) + 1);
  });

  it("many keypairs, tier hints and website ids in one file: all found, each with its own tier, in time that grows linearly", () => {
    // Matching every hint or website id against every keypair is quadratic: 8x the keypairs cost
    // about 64x the time (minutes at 40,000); the binary searches cost about 8x (n log n).
    const text = (n: number): string => {
      const lines: string[] = [];
      for (let i = 0; i < n; i++) {
        const k = kp();
        lines.push(`CRISP_WEBSITE_ID=${randomUUID()}`, `c.authenticateTier("${i % 2 ? "plugin" : "website"}", "${k.identifier}", "${k.key}");`);
      }
      return lines.join("\n");
    };
    /** The fastest of a few scans: the least disturbed by other work on the machine. */
    const fastest = (input: string): number => {
      let best = Infinity;
      for (let run = 0; run < 3; run++) {
        const started = performance.now();
        scan(input, "crisp.js");
        best = Math.min(best, performance.now() - started);
      }
      return best;
    };
    const small = 1_000;
    const large = 8 * small;
    const smallText = text(small);
    const largeText = text(large);
    scan(smallText, "crisp.js"); // warm up the compiled code first

    const r = scan(largeText, "crisp.js");
    expect(r.candidates).toHaveLength(large);
    expect(r.candidates.filter((c, i) => c.tier === (i % 2 ? "plugin" : "website"))).toHaveLength(large);
    expect(r.candidates.every((c) => c.websiteId !== null)).toBe(true);
    // Between linear (8) and quadratic (64), with room for a noisy machine.
    const ratio = fastest(largeText) / fastest(smallText);
    expect(ratio).toBeLessThan(24);
  });

  it("a text full of UUIDs and no keys is cheap and finds nothing", () => {
    const text = Array.from({ length: 20000 }, () => `{"crisp_session_id":"${randomUUID()}"}`).join("\n");
    expect(scan(text, "fixtures/sessions.json").candidates).toEqual([]);
  });

  it("in bulk, labelled halves beyond the pairing window stay unpaired (and are not compared all-pairs)", () => {
    const keys = Array.from({ length: 4000 }, () => `CRISP_KEY=${kp().key}`);
    const ids = Array.from({ length: 4000 }, () => `CRISP_IDENTIFIER=${randomUUID()}`);
    const text = [...keys, "\n".repeat(500), ...ids].join("\n");
    // 500 blank lines between the blocks: more than MAX_PAIR_LINES, so nothing is within reach.
    expect(scan(text, ".env.huge").candidates).toEqual([]);
  });
});
