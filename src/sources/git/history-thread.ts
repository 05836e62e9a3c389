// Runs a history scan in a worker thread of its own. A history scan streams every blob of the
// repository through Buffers; in a V8 heap of a certain size that churn keeps triggering full
// collections (measured on github.com/eslint/eslint: 87 instead of 3, 1.5 CPU-s more, 0.6-0.8 s
// more wall time, once the CLI's other modules are loaded). A thread has a heap of its own that
// holds only the scanner, so the scan costs the same whatever the process around it has loaded.
import { Worker } from "node:worker_threads";
import { abortError } from "./process.js";
import type { HistoryProgress, HistoryScanOptions } from "./history.js";
import { candidateFromWire, type WireCandidate } from "../scan-wire.js";
import type { SourceResult } from "../types.js";
import { builtWorkerUrl } from "../worker-url.js";

/**
 * The thread's young generation. Every blob's bytes arrive in fresh Buffers, and V8 answers that
 * external memory with full collections; a larger young generation lets most of them die in cheap
 * scavenges first (github.com/git/git: 142 full collections instead of 390, 1.4 GC-s instead of
 * 2.5). The cost is at most this much more memory.
 */
const HISTORY_YOUNG_GENERATION_MB = 64;

/** What a thread can take: plain options (a detector cannot be handed to another thread). */
export type HistoryThreadOptions = Pick<HistoryScanOptions, "since" | "branch" | "maxFileSize" | "readers" | "readBlock" | "onProgress" | "signal">;

export interface HistoryThreadRequest {
  repoPath: string;
  options: Omit<HistoryThreadOptions, "onProgress" | "signal">;
  progress: boolean;
}

/** The result as it crosses threads: candidates with their halves as plain strings (scan-wire.ts). */
export interface WireSourceResult extends Omit<SourceResult, "candidates"> {
  candidates: WireCandidate[];
}

export type ToParent =
  | { kind: "progress"; progress: HistoryProgress }
  | { kind: "done"; result: WireSourceResult }
  | { kind: "failed"; message: string; aborted: boolean };

/** scanHistory in a worker thread: same result, same errors (one-line messages), same abort. */
export function scanHistoryInThread(repoPath: string, options: HistoryThreadOptions = {}): Promise<SourceResult> {
  const { onProgress, signal, ...plain } = options;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const request: HistoryThreadRequest = { repoPath, options: plain, progress: onProgress !== undefined };
  const worker = new Worker(builtWorkerUrl("history-worker", import.meta.url), {
    workerData: request,
    resourceLimits: { maxYoungGenerationSizeMb: HISTORY_YOUNG_GENERATION_MB },
  });
  // The thread stops its git children itself when told (a terminated thread could not).
  const onAbort = () => worker.postMessage("abort");
  signal?.addEventListener("abort", onAbort, { once: true });
  return new Promise<SourceResult>((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      finish();
    };
    worker.on("message", (message: ToParent) => {
      if (message.kind === "progress") onProgress?.(message.progress);
      else if (message.kind === "done") {
        settle(() => {
          try {
            resolve({ ...message.result, candidates: message.result.candidates.map(candidateFromWire) });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      } else settle(() => reject(message.aborted && signal?.aborted ? abortError(signal) : new Error(message.message)));
    });
    worker.on("error", (error) => settle(() => reject(error)));
    worker.on("exit", (code) => settle(() => reject(new Error(`the history scan thread stopped (exit code ${code})`))));
  });
}
