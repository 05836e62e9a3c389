import { describe, expect, it } from "vitest";
import { addCommitPositions, addedLinePositions, lookupPosition, positionsInPatch } from "../../src/report/github-diff.js";
import { unifiedPatch } from "../helpers/fake-github.js";

describe("positionsInPatch", () => {
  it("counts from the line below the first hunk header, through later hunk headers", () => {
    const patch = [
      "@@ -1,3 +1,4 @@", // position 0
      " a", // 1 -> new line 1
      "+b", // 2 -> new line 2
      " c", // 3 -> new line 3
      " d", // 4 -> new line 4
      "@@ -20,2 +21,2 @@", // 5
      "-x", // 6
      "+y", // 7 -> new line 21
      " z", // 8 -> new line 22
    ].join("\n");
    expect([...positionsInPatch(patch)]).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [21, 7],
      [22, 8],
    ]);
    expect([...addedLinePositions(patch)]).toEqual([
      [2, 2],
      [21, 7],
    ]);
  });

  it("counts a '\\ No newline' line as a position and ignores a trailing newline", () => {
    const patch = "@@ -1 +1,2 @@\n-old\n\\ No newline at end of file\n+new\n+last\n";
    expect([...positionsInPatch(patch)]).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it("handles single-line hunk ranges and an added file", () => {
    expect([...positionsInPatch("@@ -0,0 +1 @@\n+only")]).toEqual([[1, 1]]);
  });
});

describe("addCommitPositions", () => {
  it("keys positions by commit:path (as the push source does), then file line, skipping files without a patch", () => {
    const map = addCommitPositions(new Map(), "abc", [
      { filename: "a.txt", patch: "@@ -0,0 +1,2 @@\n+x\n+y" },
      { filename: "bin.png" },
    ]);
    expect(map.get("abc:a.txt")?.get(2)).toBe(2);
    expect(lookupPosition(map, "abc", "a.txt", 2)).toBe(2);
    expect(lookupPosition(map, "abc", "a.txt", 3)).toBeNull();
    expect(lookupPosition(map, "abc", "bin.png", 1)).toBeNull();
    expect(map.size).toBe(1);
    expect(lookupPosition((c, p, l) => (c === "abc" && p === "x" ? l * 10 : undefined), "abc", "x", 4)).toBe(40);
  });
});

describe("unifiedPatch (fake GitHub) agrees with positionsInPatch", () => {
  it("puts an added line in the middle of a long file at the right position", () => {
    const before = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
    const lines = before.split("\n");
    lines.splice(20, 0, "INSERTED");
    const after = lines.join("\n");
    const p = unifiedPatch(before, after)!;
    expect(p.additions).toBe(1);
    expect(p.deletions).toBe(0);
    expect(p.patch.split("\n")[0]).toBe("@@ -18,6 +18,7 @@");
    const added = addedLinePositions(p.patch);
    expect([...added]).toEqual([[21, 4]]);
    expect(p.patch.split("\n")[4]).toBe("+INSERTED");
  });

  it("writes an added file as all lines added, and notes a missing final newline", () => {
    const p = unifiedPatch(null, "a\nb")!;
    expect(p.patch).toBe("@@ -0,0 +1,2 @@\n+a\n+b\n\\ No newline at end of file");
    expect(unifiedPatch("a\n", null)!.patch).toBe("@@ -1 +0,0 @@\n-a");
    expect(unifiedPatch("same\n", "same\n")).toBeNull();
  });

  it("makes two hunks for changes far apart", () => {
    const before = Array.from({ length: 40 }, (_, i) => `l${i + 1}`).join("\n") + "\n";
    const after = before.replace("l2\n", "L2\n").replace("l35\n", "L35\n");
    const p = unifiedPatch(before, after)!;
    expect(p.patch.split("\n").filter((l) => l.startsWith("@@"))).toEqual(["@@ -1,5 +1,5 @@", "@@ -32,7 +32,7 @@"]);
    expect([...addedLinePositions(p.patch)]).toEqual([
      [2, 3],
      [35, 12],
    ]);
  });
});
