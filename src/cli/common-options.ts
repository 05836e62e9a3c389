// The options every scanning command (dir, git, staged) takes, as commander parses them. A module of
// its own so that the commands and the program that wires them import it without importing each other.
import type { ReportFormat, ScanReport } from "../report/model.js";

export interface CommonOptions {
  format: ReportFormat;
  output?: string;
  verify?: boolean;
  rotate?: boolean;
  baseline?: string;
  config?: string;
  maxFileSize: number;
  /** --exclude GLOB, repeatable: added to the config's paths-ignore. */
  exclude?: string[];
  /** Not a flag: the GitHub Action is handed the report once it is written. */
  onReport?: (report: ScanReport) => void | Promise<void>;
}
