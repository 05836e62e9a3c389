// What `dir` was given: several PATHs, and `-` for standard input (one document). Each is scanned
// on its own; with several, occurrence paths are prefixed with the PATH as given so they stay apart.
import { stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { detect, mayContainKeypair } from "../detect/index.js";
import type { Candidate } from "../detect/types.js";
import { isBinary } from "../sources/content.js";
import { scanDirectory, type DirScanOptions, type DirScanStats } from "../sources/dir.js";
import type { SourceResult } from "../sources/types.js";
import { CliError } from "./io.js";

/** How a document read from standard input is named in reports. */
export const STDIN_PATH = "<stdin>";

export interface DirInput {
  /** As given on the command line. */
  arg: string;
  /** null for standard input. */
  abs: string | null;
  isDir: boolean;
}

/** Checks every PATH before anything is scanned: one wording for a missing one. */
export async function resolveInputs(cwd: string, args: readonly string[]): Promise<DirInput[]> {
  if (args.filter((a) => a === "-").length > 1) throw new CliError('"-" (standard input) may be given once');
  const inputs: DirInput[] = [];
  for (const arg of args) {
    if (arg === "-") {
      inputs.push({ arg, abs: null, isDir: false });
      continue;
    }
    const abs = resolve(cwd, arg);
    let s;
    try {
      s = await stat(abs);
    } catch {
      throw new CliError(`no such file or directory: ${arg}`);
    }
    if (!s.isDirectory() && !s.isFile()) throw new CliError(`not a file or directory: ${arg}`);
    inputs.push({ arg, abs, isDir: s.isDirectory() });
  }
  return inputs;
}

async function readAll(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    // Past the limit keep draining (the writer must not get EPIPE) but hold nothing.
    if (size <= limit) chunks.push(buf);
  }
  return size > limit ? null : Buffer.concat(chunks);
}

function emptyStats(): DirScanStats {
  return { filesScanned: 0, bytesScanned: 0, skippedLarge: 0, skippedBinary: 0, skippedIgnored: 0, unreadable: 0 };
}

export async function scanStdin(stdin: NodeJS.ReadableStream, maxFileSize: number): Promise<SourceResult & { stats: DirScanStats }> {
  const stats = emptyStats();
  const buf = await readAll(stdin, maxFileSize);
  if (buf === null) return { candidates: [], websiteIds: [], stats: { ...stats, skippedLarge: 1 } };
  if (isBinary(buf)) return { candidates: [], websiteIds: [], stats: { ...stats, skippedBinary: 1 } };
  const text = buf.toString("utf8");
  stats.filesScanned = 1;
  stats.bytesScanned = buf.length;
  if (!mayContainKeypair(text, STDIN_PATH)) return { candidates: [], websiteIds: [], stats };
  const result = detect(text, { path: STDIN_PATH });
  return { candidates: [...result.candidates], websiteIds: [...result.websiteIds], stats };
}

function prefixed(candidates: readonly Candidate[], prefix: string): Candidate[] {
  const base = prefix.replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  if (base === "" || base === ".") return [...candidates];
  return candidates.map((c) => ({ ...c, occurrence: { ...c.occurrence, path: `${base}/${c.occurrence.path}` } }));
}

/** Scans every input and adds the results up. */
export async function scanInputs(
  inputs: readonly DirInput[],
  stdin: NodeJS.ReadableStream,
  options: DirScanOptions & { maxFileSize: number },
): Promise<SourceResult & { stats: DirScanStats }> {
  const stats = emptyStats();
  const candidates: Candidate[] = [];
  const websiteIds = new Set<string>();
  const several = inputs.length > 1;
  for (const input of inputs) {
    const result = input.abs === null ? await scanStdin(stdin, options.maxFileSize) : await scanDirectory(input.abs, options);
    const prefix = input.abs === null || !several ? "" : input.isDir ? input.arg : dirname(input.arg);
    candidates.push(...prefixed(result.candidates, prefix));
    for (const id of result.websiteIds) websiteIds.add(id);
    for (const key of Object.keys(stats) as Array<keyof DirScanStats>) stats[key] += result.stats[key] ?? 0;
  }
  return { candidates, websiteIds: [...websiteIds], stats };
}
