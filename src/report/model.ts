// What every reporter is handed: the pipeline's result plus what was scanned.
import type { Finding, SuppressedFinding } from "../detect/types.js";

export type SourceKind = "dir" | "git" | "push";

export interface ScanMeta {
  source: SourceKind;
  target: string;
  durationMs: number;
  filesScanned?: number;
  blobsScanned?: number;
  bytesScanned: number;
  commits?: number;
  /** Not in the JSON contract's required fields: extra, for people reading the text report. */
  skippedLarge?: number;
  skippedBinary?: number;
  unreadable?: number;
  /** git: some objects the history reaches could not be read, so were not scanned. */
  incomplete?: true;
  missingObjects?: Array<{ id: string; path?: string }>;
  /** git: a shallow clone (its boundary commits stand for the history before them). */
  shallow?: true;
}

export interface ScanReport {
  tool: { name: string; version: string };
  scan: ScanMeta;
  findings: Finding[];
  suppressed: SuppressedFinding[];
}

export type ReportFormat = "text" | "json" | "sarif";
export const REPORT_FORMATS: readonly ReportFormat[] = ["text", "json", "sarif"];
