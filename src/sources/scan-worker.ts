// Runs in a worker thread of the scan pool (scan-pool.ts): the detector on one file, off the event
// loop that answers webhooks. Takes and returns plain data only (see scan-wire.ts).
import { detect, mayContainHalf } from "../detect/index.js";
import { scanFileText, type FileScanRequest } from "./push-file.js";
import { toWire, type WireFileScan } from "./scan-wire.js";

// The half prefilter: a file holding only a key (its identifier in another file) must reach the
// detector, so that its lone half can be paired across the tree.
export default function scanFile(request: FileScanRequest): WireFileScan {
  return toWire(scanFileText(request, detect, mayContainHalf));
}
