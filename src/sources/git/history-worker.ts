// Runs in the worker thread of history-thread.ts: one history scan, with plain data in and out.
import { parentPort, workerData } from "node:worker_threads";
import { scanHistory } from "./history.js";
import { candidateToWire } from "../scan-wire.js";
import type { HistoryThreadRequest, ToParent } from "./history-thread.js";

const port = parentPort!;
const request = workerData as HistoryThreadRequest;
const controller = new AbortController();
port.on("message", (message: unknown) => {
  if (message === "abort") controller.abort();
});
const post = (message: ToParent) => port.postMessage(message);

try {
  const { candidates, ...rest } = await scanHistory(request.repoPath, {
    ...request.options,
    signal: controller.signal,
    ...(request.progress ? { onProgress: (progress) => post({ kind: "progress", progress }) } : {}),
  });
  post({ kind: "done", result: { ...rest, candidates: candidates.map(candidateToWire) } });
} catch (error) {
  post({ kind: "failed", message: error instanceof Error ? error.message : String(error), aborted: controller.signal.aborted });
} finally {
  port.close();
}
