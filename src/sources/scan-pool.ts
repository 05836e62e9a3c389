// Scans files in worker threads (piscina), each within a time budget, so a pathological file can
// neither block the event loop that answers webhooks (GitHub waits 10 s and never redelivers) nor
// hold a job forever: at the budget its thread is terminated and the file is reported not scanned.
import { availableParallelism } from "node:os";
import PQueue from "p-queue";
import { Piscina } from "piscina";
import type { FileScanner, FileScanOutcome, FileScanRequest } from "./push-file.js";
import { fromWire, type WireFileScan } from "./scan-wire.js";
import { builtWorkerUrl } from "./worker-url.js";

/**
 * Per-file budget. The detector is linear at roughly 0.1–0.3 s per MB of dense labelled values
 * (docs/detect.md), so the largest file scanned (DEFAULT_MAX_FILE_SIZE, 25 MB) needs a few
 * seconds: 30 s leaves room for a busy machine and still bounds a job.
 */
export const FILE_SCAN_BUDGET_MS = 30_000;

/** Threads: one core is left to the event loop (webhooks, GitHub and Crisp requests). */
export const SCAN_THREADS = Math.max(1, availableParallelism() - 1);

/** How long an idle thread is kept for the next file (a new thread loads the detector again). */
const IDLE_THREAD_MS = 60_000;

export interface ScanPool {
  scanFile: FileScanner;
  /** Terminates the threads; files in flight are rejected. */
  close(): Promise<void>;
}

export interface ScanPoolOptions {
  budgetMs?: number;
  threads?: number;
  /** The worker module; by default the built scan-worker.js. */
  workerUrl?: URL;
}

/** The built worker module (see worker-url.ts). */
export function scanWorkerUrl(): URL {
  return builtWorkerUrl("scan-worker", import.meta.url);
}

export function createScanPool(options: ScanPoolOptions = {}): ScanPool {
  const threads = options.threads ?? SCAN_THREADS;
  const budgetMs = options.budgetMs ?? FILE_SCAN_BUDGET_MS;
  const pool = new Piscina<FileScanRequest, WireFileScan>({
    filename: (options.workerUrl ?? scanWorkerUrl()).href,
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: IDLE_THREAD_MS,
  });
  // No more files than threads are handed to piscina, so a file's budget starts when a thread
  // takes it, not while it waits behind other files.
  const queue = new PQueue({ concurrency: threads });
  const scanFile: FileScanner = (request) =>
    queue.add(async (): Promise<FileScanOutcome> => {
      // Aborting a running task terminates its thread (piscina), whatever the detector is doing.
      const signal = AbortSignal.timeout(budgetMs);
      try {
        return { scan: fromWire(await pool.run(request, { signal })) };
      } catch (error) {
        if (signal.aborted) return { notScanned: `scanning took longer than the ${budgetMs} ms budget per file: not scanned` };
        throw error;
      }
    });
  return {
    scanFile,
    async close() {
      queue.clear();
      await pool.destroy();
    },
  };
}

let shared: ScanPool | null = null;

/** The process's pool, made on first use. Idle threads do not keep the process alive. */
export function sharedScanPool(): ScanPool {
  shared ??= createScanPool();
  return shared;
}

/** Closes the process's pool, if one was made (a later sharedScanPool() makes a new one). */
export async function closeSharedScanPool(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}
