// Parses a unified-diff `patch` as GitHub's commit and compare APIs return it for one file: which
// lines were added, their line numbers in the file as committed, and their diff `position`.
// Pure: no I/O.

/** A line of the new file that the patch shows. */
export interface PatchLine {
  /** 1-based line number in the file as committed. */
  line: number;
  /**
   * GitHub's diff position (commit comments): lines counted from the first "@@" header, which is 0;
   * later hunk headers count as lines too.
   */
  position: number;
  /** The line's text without the leading "+" or " " (and without a trailing "\r"). */
  text: string;
  added: boolean;
}

export interface ParsedPatch {
  /** The new file's lines that the patch shows (added and context), in order. */
  lines: PatchLine[];
  /** Line numbers of the added lines. */
  added: Set<number>;
  /** Line number → diff position, for every line the patch shows (added or context). */
  positions: Map<number, number>;
}

/** A diff position map for one file: file line → position. */
export type DiffPositionMap = ReadonlyMap<number, number>;

/**
 * The key of one file of one commit among a push's diff positions. The push source writes the maps
 * under it and the GitHub reporter reads them with it, so both go through this one function.
 */
export function positionKey(commit: string, path: string): string {
  return `${commit}:${path}`;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export function parsePatch(patch: string): ParsedPatch {
  const lines: PatchLine[] = [];
  const added = new Set<number>();
  const positions = new Map<number, number>();
  let position = -1; // -1 until the first hunk header, which is position 0
  let newLine = 0;
  let oldLeft = 0;
  let newLeft = 0;

  for (const raw of patch.split("\n")) {
    const hunk = HUNK.exec(raw);
    if (hunk) {
      position++;
      newLine = Number(hunk[3]);
      oldLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      newLeft = hunk[4] === undefined ? 1 : Number(hunk[4]);
      continue;
    }
    if (position < 0) continue; // before any hunk: not part of a diff GitHub would number
    if (raw.startsWith("\\")) {
      position++; // "\ No newline at end of file" is a line of the diff
      continue;
    }
    if (oldLeft <= 0 && newLeft <= 0) continue; // past the hunk's counts: a trailing newline, nothing more
    position++;
    const marker = raw[0];
    const text = raw.slice(1).replace(/\r$/, "");
    if (marker === "+") {
      lines.push({ line: newLine, position, text, added: true });
      added.add(newLine);
      positions.set(newLine, position);
      newLine++;
      newLeft--;
    } else if (marker === "-") {
      oldLeft--;
    } else {
      // " " or an empty line (some tools drop the space of an empty context line)
      lines.push({ line: newLine, position, text, added: false });
      positions.set(newLine, position);
      newLine++;
      newLeft--;
      oldLeft--;
    }
  }
  return { lines, added, positions };
}

/**
 * The patch's view of the new file as text: every line the patch shows at its own line number,
 * every other line empty, so a detector run over it reports line numbers of the file as committed.
 * With `addedOnly`, context lines are left empty too.
 */
export function patchText(parsed: ParsedPatch, options: { addedOnly?: boolean } = {}): string {
  const shown = options.addedOnly ? parsed.lines.filter((l) => l.added) : parsed.lines;
  const last = shown.at(-1)?.line ?? 0;
  const out: string[] = new Array<string>(last).fill("");
  for (const l of shown) out[l.line - 1] = l.text;
  return out.join("\n");
}
