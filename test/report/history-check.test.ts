// The "Crisp Guard: history" check run a backfill leaves on the default branch's head.
import { describe, expect, it } from "vitest";
import type { Occurrence } from "../../src/detect/types.js";
import { historyCheckOutput, historyConclusion, HISTORY_CHECK_RUN_NAME } from "../../src/report/history-check.js";
import { holdsRaw } from "../helpers/keypairs.js";
import { makeFinding } from "./github-fixtures.js";

const complete = { commits: 5000, defaultBranch: "main", elsewhere: new Map<string, number>(), incomplete: null };

describe("history check run", () => {
  it("is named apart from the push's run, so a required push check is never replaced by it", () => {
    expect(HISTORY_CHECK_RUN_NAME).toBe("Crisp Guard: history");
  });

  it("fails when a live keypair is anywhere in the history; annotates only where it still sits in the head tree", () => {
    const live = makeFinding({ status: "live", occurrences: [{ path: "old/.env", line: 2, commit: "a".repeat(40) }] });
    const dead = makeFinding({ status: "dead", occurrences: [{ path: "config.yml", line: 9, commit: "b".repeat(40) }] });
    const inHead = new Map<string, Occurrence[]>([[dead.finding.fingerprint, [{ path: "config.yml", line: 4, column: 3, encoding: "plain" }]]]);
    const out = historyCheckOutput({ ...complete, findings: [dead.finding, live.finding], inHead, elsewhere: new Map([[live.finding.fingerprint, 4]]) });
    expect(out.conclusion).toBe("failure");
    expect(out.title).toBe("2 Crisp token keypairs in the history: 1 live, 1 dead");
    // The live one was deleted since: no annotation points at a file the head no longer has.
    expect(out.annotations).toEqual([expect.objectContaining({ path: "config.yml", start_line: 4, annotation_level: "warning" })]);
    // The live one first, with the four other repositories it leaked in.
    const rows = out.summary.split("\n").filter((l) => l.startsWith("| `"));
    expect(rows[0]).toContain(live.finding.keypair.redactedIdentifier);
    expect(rows[0]).toMatch(/\| no \| 4 \|$/);
    expect(rows[1]).toContain("`config.yml:4`");
    expect(out.summary).toContain("5,000 commits");
    for (const { raw } of [live, dead]) expect(holdsRaw(JSON.stringify(out), raw)).toBe(false);
  });

  it("is green only when every keypair is dead and the whole history was read", () => {
    const dead = makeFinding({ status: "dead" }).finding;
    const unknown = makeFinding({ status: "unknown" }).finding;
    expect(historyConclusion([], null)).toBe("success");
    expect(historyConclusion([dead], null)).toBe("success");
    expect(historyConclusion([dead, unknown], null)).toBe("neutral");
    expect(historyConclusion([makeFinding({ status: "unverified" }).finding], null)).toBe("neutral");
    expect(historyConclusion([], { missingObjects: 3, shallow: false })).toBe("neutral");
    expect(historyConclusion([dead], { missingObjects: 0, shallow: true })).toBe("neutral");
  });

  it("an incomplete history says what could not be read, and is never green", () => {
    const out = historyCheckOutput({ ...complete, findings: [], inHead: new Map(), incomplete: { missingObjects: 2, shallow: false } });
    expect(out.conclusion).toBe("neutral");
    expect(out.title).toMatch(/could not all be read/);
    expect(out.summary).toContain("2 objects the history reaches could not be read");
    expect(out.summary).toContain("crisp-guard backfill --force");
  });

  it("a clean history says how much was read", () => {
    const out = historyCheckOutput({ ...complete, commits: 1, findings: [], inHead: new Map() });
    expect(out).toMatchObject({ conclusion: "success", title: "No Crisp token keypair in 1 commit of history", annotations: [] });
  });
});
