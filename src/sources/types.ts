// What every source (dir, git history) hands to the pipeline.
import type { Candidate } from "../detect/types.js";

/** Counts a source reports; fields a source has no use for are absent. */
export interface SourceStats {
  /** dir: files read and scanned. */
  filesScanned?: number;
  /** git: unique blobs read and scanned (each blob once, whatever number of commits hold it). */
  blobsScanned?: number;
  /** git: commits in the scanned range. */
  commits?: number;
  /** Bytes of text given to the detector. */
  bytesScanned: number;
  /** Files or blobs over the size limit, not scanned. */
  skippedLarge: number;
  /** Files or blobs with a NUL byte in their first 8000 bytes (git's own test), not scanned. */
  skippedBinary: number;
  /** dir: files that could not be read. */
  unreadable?: number;
}

export interface SourceResult {
  /** Every keypair found, one per place (and, for git, per commit that introduced it). */
  candidates: Candidate[];
  /** Every Crisp website id seen anywhere in the source (public), for website-tier checks. */
  websiteIds: string[];
  stats: SourceStats;
  /** git: objects the history reaches that could not be read (so were not scanned). */
  missingObjects?: MissingObject[];
  /** git: the repository is a shallow clone. */
  shallow?: true;
}

export interface MissingObject {
  /** The full object id (an object id is not a secret). */
  id: string;
  /** Where it sits, when the scan knows. */
  path?: string;
}
