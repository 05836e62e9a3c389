import { describe, expect, it } from "vitest";
import {
  CHECK_RUN_SUMMARY_MAX_CHARS,
  checkRunOutput,
  commitCommentBody,
  configErrorOutput,
  fingerprintMarker,
  markerFingerprint,
  scrubSecret,
} from "../../src/report/github-text.js";
import { holdsRaw } from "../helpers/keypairs.js";
import { makeFinding } from "./github-fixtures.js";

const COMMIT = "c".repeat(40);

describe("commitCommentBody", () => {
  it("says what was committed, redacted, with status, tier, fingerprint, steps and the marker", () => {
    const { finding, raw } = makeFinding({
      status: "live",
      tier: "website",
      websiteId: "8c842203-7ed8-4e29-a608-7cf78a7d2fcc",
      occurrences: [
        { path: "config/crisp.env", line: 7, commit: COMMIT },
        { path: "config/crisp.env", line: 2, commit: COMMIT },
        { path: "other.txt", line: 1, commit: "d".repeat(40) },
      ],
    });
    const body = commitCommentBody({ finding, commit: COMMIT });

    expect(body).toContain("A Crisp token keypair was committed");
    expect(body).toContain(`identifier \`${finding.keypair.redactedIdentifier}\``);
    expect(body).toContain(`key \`${finding.keypair.keyHint}\``);
    expect(body).toContain("**Live**: Crisp accepted this keypair on the website tier (checked 2024-05-01T10:00:00Z)");
    expect(body).toContain(`Fingerprint: \`${finding.fingerprint}\``);
    expect(body).toContain("website `8c842203-7ed8-4e29-a608-7cf78a7d2fcc`");
    // Only this commit's places, in file order.
    expect(body).toContain("Found at: `config/crisp.env` line 2, `config/crisp.env` line 7");
    expect(body).not.toContain("other.txt");
    expect(body).toContain("Settings > Workspace Settings > Advanced configuration");
    expect(body).not.toContain("Marketplace dashboard");
    expect(body).toContain("No rotation was triggered.");
    expect(body).toContain("does **not** make it safe");
    expect(body.endsWith(fingerprintMarker(finding.fingerprint))).toBe(true);
    expect(markerFingerprint(body)).toBe(finding.fingerprint);
    expect(holdsRaw(body, raw)).toBe(false);
  });

  it("gives the plugin steps for a plugin token and both sets for an unknown tier", () => {
    const plugin = commitCommentBody({ finding: makeFinding({ status: "live", tier: "plugin" }).finding, commit: "a".repeat(40) });
    expect(plugin).toContain("Crisp Marketplace dashboard > your plugin > Tokens");
    expect(plugin).not.toContain("Workspace Settings");

    const unknown = makeFinding({ status: "unknown", tier: null }).finding;
    const body = commitCommentBody({ finding: unknown, commit: "a".repeat(40) });
    expect(body).toContain("**Unknown**: the keypair could not be checked against Crisp (timeout)");
    expect(body).toContain("tier unknown");
    expect(body).toContain("The tier of this token is not known");
    expect(body).toContain("Workspace Settings > Advanced configuration");
    expect(body).toContain("Marketplace dashboard > your plugin > Tokens");
  });

  it("uses the tier Crisp accepted over the tier the code named", () => {
    const { finding } = makeFinding({ status: "live", tier: "website", verifiedTier: "plugin" });
    const body = commitCommentBody({ finding, commit: "a".repeat(40) });
    expect(body).toContain("on the plugin tier");
    expect(body).toContain("Marketplace dashboard");
    expect(body).not.toContain("Workspace Settings");
  });

  it("describes dead and unverified keypairs", () => {
    expect(commitCommentBody({ finding: makeFinding({ status: "dead" }).finding, commit: "a".repeat(40) })).toContain(
      "**Dead**: Crisp rejected this keypair",
    );
    expect(commitCommentBody({ finding: makeFinding({ status: "unverified" }).finding, commit: "a".repeat(40) })).toContain(
      "**Not verified**",
    );
  });

  it("lists every rotation outcome, and scrubs a raw half a rotator echoed back", () => {
    const base = makeFinding({ status: "live", tier: "website" });
    const finding = {
      ...base.finding,
      rotations: [
        { rotator: "github-issue", status: "requested" as const, detail: "issue opened", url: "https://github.example/o/r/issues/4" },
        { rotator: "webhook", status: "failed" as const, detail: `receiver said: bad token ${base.raw.key} for ${base.raw.identifier}` },
      ],
    };
    const body = commitCommentBody({ finding, commit: "a".repeat(40) });
    expect(body).toContain("`github-issue`: **requested**, issue opened (https://github.example/o/r/issues/4)");
    expect(body).toContain(`\`webhook\`: **failed**, receiver said: bad token ${finding.keypair.keyHint} for ${finding.keypair.redactedIdentifier}`);
    expect(holdsRaw(body, base.raw)).toBe(false);
  });

  it("has a rotated variant without roll steps", () => {
    // The caller may still hold the first verification (live): the update decides what the status says.
    const { finding, raw } = makeFinding({ status: "live", tier: "website" });
    const body = commitCommentBody({ finding, commit: "a".repeat(40), update: { kind: "dead", since: "2024-05-01T12:15:00Z" } });
    expect(body).not.toContain("**Live**");
    expect(body).toContain("now rotated");
    expect(body).toContain("**Rotated**: the old key now answers 401 (dead) since 2024-05-01T12:15:00Z");
    expect(body).toContain("Status: **Dead**: rotated, Crisp rejects the old keypair since 2024-05-01T12:15:00Z.");
    expect(body).not.toContain("Roll it now");
    expect(body).toContain("does **not** make it safe");
    expect(markerFingerprint(body)).toBe(finding.fingerprint);
    expect(holdsRaw(body, raw)).toBe(false);
  });

  it("has a loud still-live variant that counts the hours", () => {
    const { finding } = makeFinding({ status: "live", tier: "plugin" });
    const body = commitCommentBody({
      finding,
      commit: "a".repeat(40),
      update: { kind: "still-live", since: "2024-05-01T10:00:00Z", checkedAt: "2024-05-02T10:30:00Z" },
    });
    expect(body).toContain("[!CAUTION]");
    expect(body).toContain("**Still live after 24 h**: rotation was requested at 2024-05-01T10:00:00Z");
    expect(body).toContain("Roll it now");
  });

  it("keeps outside text from closing the marker or breaking lines", () => {
    const base = makeFinding({ status: "live" });
    const finding = { ...base.finding, rotations: [{ rotator: "cmd", status: "skipped" as const, detail: "a\n\n# heading --> <!-- x" }] };
    const body = commitCommentBody({ finding, commit: "a".repeat(40) });
    // One line, the heading marker escaped and followed by a joiner, the comment markers broken.
    expect(body).toContain("`cmd`: **skipped**, a \\#\u200d heading -\u200d-\\> \\<\u200d\\!-- x");
    expect(body.match(/<!--/g)).toHaveLength(1);
  });
});

describe("scrubSecret", () => {
  it("replaces both halves whatever their case", () => {
    const { finding, raw } = makeFinding();
    const text = scrubSecret(`x ${raw.key.toUpperCase()} y ${raw.identifier}`, finding.keypair);
    expect(text).toBe(`x ${finding.keypair.keyHint} y ${finding.keypair.redactedIdentifier}`);
  });
});

describe("checkRunOutput", () => {
  it("succeeds with no findings", () => {
    const out = checkRunOutput([]);
    expect(out.conclusion).toBe("success");
    expect(out.title).toBe("No Crisp token keypairs found");
    expect(out.annotations).toEqual([]);
  });

  it("fails when any keypair is live, with a table row per secret and failure annotations", () => {
    const live = makeFinding({
      status: "live",
      tier: "website",
      occurrences: [
        { path: "a.env", line: 4, commit: "1".repeat(40) },
        { path: "a.env", line: 4, commit: "2".repeat(40) }, // same place in a later commit: one annotation
        { path: "b/c.ts", line: 10, commit: "2".repeat(40) },
      ],
      rotations: [{ rotator: "github-issue", status: "requested", detail: "opened #3" }],
    });
    const dead = makeFinding({ status: "dead", occurrences: [{ path: "old.txt", line: 1, commit: "1".repeat(40) }] });
    const out = checkRunOutput([dead.finding, live.finding]);

    expect(out.conclusion).toBe("failure");
    expect(out.title).toBe("2 Crisp token keypairs committed: 1 live, 1 not confirmed live");
    expect(out.summary).toContain("| Identifier | Key | Status | Tier | Rotation | Occurrences |");
    expect(out.summary).toContain(
      `| \`${live.finding.keypair.redactedIdentifier}\` | \`${live.finding.keypair.keyHint}\` | **live** | website tier | github-issue: requested | \`a.env:4\`, \`a.env:4\`, \`b/c.ts:10\` |`,
    );
    expect(out.summary).toContain(`| \`${dead.finding.keypair.redactedIdentifier}\` | \`${dead.finding.keypair.keyHint}\` | dead | tier unknown | none | \`old.txt:1\` |`);
    // Live rows first.
    expect(out.summary.indexOf(live.finding.keypair.redactedIdentifier)).toBeLessThan(out.summary.indexOf(dead.finding.keypair.redactedIdentifier));

    expect(out.annotations).toHaveLength(3);
    expect(out.annotations[0]).toMatchObject({ path: "a.env", start_line: 4, end_line: 4, annotation_level: "failure" });
    expect(out.annotations[1]).toMatchObject({ path: "b/c.ts", start_line: 10, end_line: 10, annotation_level: "failure" });
    expect(out.annotations[2]).toMatchObject({ path: "old.txt", start_line: 1, annotation_level: "warning" });
    expect(out.annotations[0]!.message).toContain("Workspace Settings > Advanced configuration");
    expect(out.annotations[0]!.message).toContain(live.finding.fingerprint);
    expect(out.annotations[0]!.message).toContain("does not make it safe");
    expect(out.annotations.some((a) => a.message.includes("**"))).toBe(false);

    const all = JSON.stringify(out);
    expect(holdsRaw(all, live.raw)).toBe(false);
    expect(holdsRaw(all, dead.raw)).toBe(false);
  });

  it.each(["unknown", "dead", "unverified"] as const)("is neutral when the only keypair is %s", (status) => {
    const { finding } = makeFinding({ status });
    const out = checkRunOutput([finding]);
    expect(out.conclusion).toBe("neutral");
    expect(out.annotations.every((a) => a.annotation_level === "warning")).toBe(true);
  });

  it("turns neutral once every live keypair is rotated dead, and fails loudly when one stays live", () => {
    const a = makeFinding({ status: "live" }).finding;
    const b = makeFinding({ status: "live" }).finding;
    const rotated = checkRunOutput([a, b], {
      updates: new Map([
        [a.fingerprint, { kind: "dead", since: "2024-05-01T11:00:00Z" }],
        [b.fingerprint, { kind: "dead", since: "2024-05-01T11:05:00Z" }],
      ]),
      annotate: false,
    });
    expect(rotated.conclusion).toBe("neutral");
    expect(rotated.title).toBe("2 Crisp token keypairs committed: 2 rotated");
    expect(rotated.summary).toContain("rotated, dead since 2024-05-01T11:00:00Z");
    expect(rotated.annotations).toEqual([]);

    const stuck = checkRunOutput([a, b], {
      updates: new Map([
        [a.fingerprint, { kind: "dead", since: "2024-05-01T11:00:00Z" }],
        [b.fingerprint, { kind: "still-live", since: "2024-05-01T10:00:00Z", checkedAt: "2024-05-02T10:00:00Z" }],
      ]),
    });
    expect(stuck.conclusion).toBe("failure");
    expect(stuck.title).toBe("2 Crisp token keypairs committed: 1 still live after rotation was requested, 1 rotated");
    expect(stuck.summary).toContain("**STILL LIVE** 24 h after rotation was requested");
  });

  it("stays under GitHub's summary limit with thousands of secrets, saying how many rows it dropped", () => {
    const many = Array.from({ length: 2000 }, () => makeFinding({ status: "unknown" }).finding);
    const out = checkRunOutput(many);
    expect(out.summary.length).toBeLessThanOrEqual(CHECK_RUN_SUMMARY_MAX_CHARS);
    expect(out.summary).toMatch(/… and \d+ more \(see the annotations\)\./);
    expect(out.summary).toContain("does **not** make it safe");
    expect(out.annotations).toHaveLength(2000);
  });

  it("puts a config error at the top of the summary without changing the conclusion", () => {
    const { finding } = makeFinding({ status: "live" });
    const out = checkRunOutput([finding], { configError: "rotate.when: must be live | live-or-unknown | never" });
    expect(out.conclusion).toBe("failure");
    expect(out.summary.startsWith("### :warning: Invalid `.github/crisp-guard.yml`")).toBe(true);
    expect(out.summary).toContain("rotate.when: must be live | live-or-unknown | never");
  });
});

describe("configErrorOutput", () => {
  it("explains the error, says the scan used defaults, and is neutral", () => {
    const out = configErrorOutput("YAML: bad indentation at line 3\n```\nsneaky");
    expect(out.conclusion).toBe("neutral");
    expect(out.title).toBe("Invalid .github/crisp-guard.yml: scanned with default settings");
    expect(out.summary).toContain("ran with the default settings");
    expect(out.summary).toContain("bad indentation at line 3");
    // The message's own ``` cannot close our code block: the fence is longer.
    expect(out.summary).toContain("````\nYAML: bad indentation");
    expect(out.annotations).toEqual([]);
  });

  it("bounds a huge message", () => {
    const out = configErrorOutput("x".repeat(100_000));
    expect(out.summary.length).toBeLessThan(3_000);
  });
});
