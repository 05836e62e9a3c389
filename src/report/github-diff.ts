// Pure: where a file line sits in a GitHub diff, for commit comments (`path` + `position`).
import { parsePatch, positionKey } from "../sources/patch.js";

/**
 * Each line of the new file that the patch shows ('+' or context) → its diff position (GitHub's
 * rule, REST docs for commit comments; parsed by sources/patch.ts, the one patch parser).
 */
export function positionsInPatch(patch: string): Map<number, number> {
  return parsePatch(patch).positions;
}

/** Positions of the lines the patch adds ('+'), by new-file line number. */
export function addedLinePositions(patch: string): Map<number, number> {
  return new Map(parsePatch(patch).lines.filter((l) => l.added).map((l) => [l.line, l.position]));
}

/**
 * Diff positions of a push: positionKey(commit, path) → file line → position. This is the shape of
 * the push source's `PushScanResult.diffPositions`, so it passes straight through; a lookup
 * function works too.
 */
export type DiffPositions =
  | ReadonlyMap<string, ReadonlyMap<number, number>>
  | ((commit: string, path: string, line: number) => number | null | undefined);

export function lookupPosition(positions: DiffPositions, commit: string, path: string, line: number): number | null {
  const found =
    typeof positions === "function" ? positions(commit, path, line) : positions.get(positionKey(commit, path))?.get(line);
  return found ?? null;
}

/** Adds the positions of one commit's files (the `files` of GET /repos/{o}/{r}/commits/{sha}) to `into`. */
export function addCommitPositions(
  into: Map<string, ReadonlyMap<number, number>>,
  commit: string,
  files: ReadonlyArray<{ filename: string; patch?: string | null }>,
): Map<string, ReadonlyMap<number, number>> {
  for (const file of files) {
    if (file.patch) into.set(positionKey(commit, file.filename), positionsInPatch(file.patch));
  }
  return into;
}
