import { describe, expect, it } from "vitest";
import { parsePatch, patchText } from "../../src/sources/patch.js";

// Shaped like the `patch` GitHub's commit API returns: starts at the first hunk header, no file header.
const TWO_HUNKS = [
  "@@ -1,3 +1,4 @@", //              position 0
  " # Crisp", //                     1  line 1
  "+CRISP_WEBSITE_ID=site", //       2  line 2 (added)
  " CRISP_IDENTIFIER=id", //         3  line 3
  " CRISP_TIER=plugin", //           4  line 4
  "@@ -10,4 +11,5 @@ section", //   5  (a later hunk header counts)
  " ten", //                         6  line 11
  "-old eleven", //                  7  (removed: no new line)
  "+new eleven", //                  8  line 12 (added)
  "+new twelve", //                  9  line 13 (added)
  " twelve", //                      10 line 14
  " thirteen", //                    11 line 15
].join("\n");

describe("parsePatch", () => {
  it("numbers added and context lines in the new file and counts diff positions from the first hunk", () => {
    const p = parsePatch(TWO_HUNKS);
    expect([...p.added]).toEqual([2, 12, 13]);
    expect([...p.positions]).toEqual([
      [1, 1], [2, 2], [3, 3], [4, 4],
      [11, 6], [12, 8], [13, 9], [14, 10], [15, 11],
    ]);
    expect(p.lines.find((l) => l.line === 12)).toEqual({ line: 12, position: 8, text: "new eleven", added: true });
    expect(p.lines.find((l) => l.line === 3)).toMatchObject({ text: "CRISP_IDENTIFIER=id", added: false });
  });

  it("handles a new file (no old lines), hunk headers without counts and a missing final newline", () => {
    const p = parsePatch(["@@ -0,0 +1,2 @@", "+first", "+second", "\\ No newline at end of file"].join("\n"));
    expect([...p.added]).toEqual([1, 2]);
    expect(p.positions.get(2)).toBe(2);

    const single = parsePatch(["@@ -1 +1 @@", "-a", "+b"].join("\n"));
    expect([...single.added]).toEqual([1]);
    expect(single.positions.get(1)).toBe(2);
  });

  it("counts the no-newline marker as a diff line", () => {
    const p = parsePatch(["@@ -1,1 +1,2 @@", "-x", "\\ No newline at end of file", "+x", "+y"].join("\n"));
    expect(p.positions.get(1)).toBe(3);
    expect(p.positions.get(2)).toBe(4);
  });

  it("strips CR of CRLF files and ignores a trailing newline after the last hunk", () => {
    const p = parsePatch("@@ -1,1 +1,2 @@\n ctx\r\n+KEY=abc\r\n");
    expect(p.lines.map((l) => l.text)).toEqual(["ctx", "KEY=abc"]);
    expect(p.lines).toHaveLength(2);
  });

  it("treats an empty line inside a hunk as an empty context line", () => {
    const p = parsePatch(["@@ -1,3 +1,4 @@", " a", "", "+b", " c"].join("\n"));
    expect(p.lines.map((l) => [l.line, l.text, l.added])).toEqual([[1, "a", false], [2, "", false], [3, "b", true], [4, "c", false]]);
  });

  it("returns nothing for an empty patch (a mode change)", () => {
    const p = parsePatch("");
    expect(p.lines).toEqual([]);
    expect(p.added.size).toBe(0);
  });

  it("skips a line that starts with @@ but is not a header, as content", () => {
    const p = parsePatch(["@@ -1,1 +1,2 @@", " x", "+@@ not a header"].join("\n"));
    expect(p.lines.at(-1)).toMatchObject({ line: 2, text: "@@ not a header", added: true });
  });
});

describe("patchText", () => {
  it("puts each shown line at its own line number so detector lines are file lines", () => {
    const p = parsePatch(TWO_HUNKS);
    const lines = patchText(p).split("\n");
    expect(lines).toHaveLength(15);
    expect(lines[2]).toBe("CRISP_IDENTIFIER=id");
    expect(lines[11]).toBe("new eleven");
    expect(lines[5]).toBe("");
    const added = patchText(p, { addedOnly: true }).split("\n");
    expect(added[2]).toBe("");
    expect(added[1]).toBe("CRISP_WEBSITE_ID=site");
    expect(added).toHaveLength(13);
  });
});
