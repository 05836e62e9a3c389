// Pure logic of the push source for one changed file: what to scan (the patch, or the whole file),
// and which candidates the commit introduced. No I/O: push.ts fetches, this decides.
import type { DetectOptions } from "../detect/index.js";
import type { Candidate, DetectResult, LoneHalf } from "../detect/types.js";
import type { ParsedPatch } from "./patch.js";
import { patchText } from "./patch.js";
import { base64Segments } from "../detect/decoders.js";
import { BOUNDED_KEY_SOURCE, BOUNDED_UUID_SOURCE } from "../detect/grammar.js";

export type DetectFn = (text: string, options: DetectOptions) => DetectResult;
export type PrefilterFn = (text: string, path: string) => boolean;

// Half a keypair: a UUID (an identifier) or a run of exactly 64 hex characters (a key).
const UUID = new RegExp(BOUNDED_UUID_SOURCE);
const KEY = new RegExp(BOUNDED_KEY_SOURCE);
// Crisp named in the path or anywhere the patch shows.
const CRISP = /crisp/i;
// A half labelled as a credential on its own line ("KEY=…", "identifier: …"), for a file whose Crisp
// context is outside the patch. Lock files' checksums carry no such label, so they are not fetched.
const CREDENTIAL_LABEL = /identifier|token|secret|key|auth|passw/i;

export function holdsHalfKeypair(text: string): boolean {
  return UUID.test(text) || KEY.test(text) || base64Segments(text).some((s) => UUID.test(s.text) || KEY.test(s.text));
}

const UUID_ALL = new RegExp(UUID.source, "gi");
const KEY_ALL = new RegExp(KEY.source, "gi");

function plainHalves(text: string): string[] {
  return [...text.matchAll(UUID_ALL), ...text.matchAll(KEY_ALL)].map((m) => m[0].toLowerCase());
}

/**
 * Every identifier-shaped and key-shaped value in a text, lowercased: plain, or inside a base64
 * run (a Kubernetes Secret's `data:` holds each half base64-encoded; changing the key there is a leak).
 */
function halvesIn(text: string): string[] {
  return [...plainHalves(text), ...base64Segments(text).flatMap((s) => plainHalves(s.text))];
}

/**
 * True when the commit added a line holding half a keypair that the patch alone did not pair (or
 * name as a website id), in a file with Crisp context (its path, the patch, or a credential label on
 * that line): the other half may sit on an unchanged line the patch does not show, so the whole file
 * at that commit must be read to pair them.
 */
export function needsWholeFile(path: string, parsed: ParsedPatch, patchScan?: FileScan): boolean {
  const known = new Set<string>();
  for (const { candidate } of patchScan?.candidates ?? []) {
    // In memory only, to tell which halves the patch already paired.
    const { identifier, key } = candidate.keypair.reveal();
    known.add(identifier);
    known.add(key);
  }
  for (const id of patchScan?.websiteIds ?? []) known.add(id.toLowerCase());
  const halves = parsed.lines.filter((l) => l.added && halvesIn(l.text).some((h) => !known.has(h)));
  if (halves.length === 0) return false;
  if (CRISP.test(path) || parsed.lines.some((l) => CRISP.test(l.text))) return true;
  return halves.some((l) => CREDENTIAL_LABEL.test(l.text));
}

/**
 * Did the commit introduce this candidate? Yes when its occurrence line is an added line, or when an
 * added line holds its identifier or its key (a key added under an existing identifier is a leak).
 * Returns the added line that makes it so (the occurrence line first), or null.
 */
export function introducingLine(candidate: Candidate, parsed: ParsedPatch): number | null {
  if (parsed.added.has(candidate.occurrence.line)) return candidate.occurrence.line;
  // In memory only, to compare with the added lines; never stored or printed.
  const { identifier, key } = candidate.keypair.reveal();
  for (const l of parsed.lines) {
    if (!l.added) continue;
    const text = l.text.toLowerCase();
    if (text.includes(key) || text.includes(identifier)) return l.line;
    const decoded = halvesIn(l.text);
    if (decoded.includes(key) || decoded.includes(identifier)) return l.line;
  }
  return null;
}

export interface FileScan {
  candidates: Array<{ candidate: Candidate; line: number | null }>;
  websiteIds: string[];
  bytesScanned: number;
  /**
   * Labelled halves with no partner in the file, on lines the commit added (every one without a
   * patch): what a pass over the whole tree may pair across files.
   */
  lone?: LoneHalf[];
}

/** One file's text to scan, and the patch that says which of its lines the commit added. Plain data. */
export interface FileScanRequest {
  path: string;
  text: string;
  /** Null when the file had no patch: every candidate counts. */
  parsed: ParsedPatch | null;
  bytesScanned: number;
}

/** A file scanned, or why it was not (the push's check run then says the scan was incomplete). */
export type FileScanOutcome = { scan: FileScan } | { notScanned: string };

/** Scans one file somewhere (in this thread, or in a worker thread within a time budget). */
export type FileScanner = (request: FileScanRequest) => Promise<FileScanOutcome>;

/** The scanner that runs the given detector in this thread. */
export function inProcessScanner(detect: DetectFn, prefilter: PrefilterFn): FileScanner {
  return async (request) => ({ scan: scanFileText(request, detect, prefilter) });
}

/** What the commit's added lines show (added and context lines at their own line numbers). */
export function patchScanRequest(path: string, parsed: ParsedPatch): FileScanRequest {
  const bytesScanned = parsed.lines.reduce((n, l) => n + (l.added ? Buffer.byteLength(l.text) + 1 : 0), 0);
  return { path, text: patchText(parsed), parsed, bytesScanned };
}

/** A whole file at the commit; `parsed` when it had a patch, to keep what the commit introduced. */
export function wholeFileScanRequest(path: string, text: string, parsed: ParsedPatch | null): FileScanRequest {
  return { path, text, parsed, bytesScanned: Buffer.byteLength(text) };
}

/** Runs the detector on one request and keeps the candidates the commit introduced. */
export function scanFileText(request: FileScanRequest, detect: DetectFn, prefilter: PrefilterFn): FileScan {
  return keepIntroduced(request.text, request.path, request.parsed, detect, prefilter, request.bytesScanned);
}

/**
 * Scans what the patch shows (added and context lines at their own line numbers) and keeps the
 * candidates the commit introduced. For files that need no whole-file read.
 */
export function scanPatch(path: string, parsed: ParsedPatch, detect: DetectFn, prefilter: PrefilterFn): FileScan {
  return scanFileText(patchScanRequest(path, parsed), detect, prefilter);
}

/**
 * Scans a whole file. With a patch, keeps only the candidates the commit introduced; without one
 * (binary or too large a diff for GitHub to show) every candidate counts, as no line can be told apart.
 */
export function scanWholeFile(
  path: string,
  text: string,
  parsed: ParsedPatch | null,
  detect: DetectFn,
  prefilter: PrefilterFn,
): FileScan {
  return scanFileText(wholeFileScanRequest(path, text, parsed), detect, prefilter);
}

function keepIntroduced(
  text: string,
  path: string,
  parsed: ParsedPatch | null,
  detect: DetectFn,
  prefilter: PrefilterFn,
  bytesScanned: number,
): FileScan {
  if (!prefilter(text, path)) return { candidates: [], websiteIds: [], bytesScanned, lone: [] };
  const result = detect(text, { path });
  const lone = (result.lone ?? []).filter((l) => !parsed || parsed.added.has(l.occurrence.line));
  const candidates: FileScan["candidates"] = [];
  for (const candidate of result.candidates) {
    if (!parsed) {
      candidates.push({ candidate, line: null });
      continue;
    }
    const line = introducingLine(candidate, parsed);
    if (line !== null) candidates.push({ candidate, line });
  }
  return { candidates, websiteIds: result.websiteIds, bytesScanned, lone };
}
