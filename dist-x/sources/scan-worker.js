// Runs in a worker thread of the scan pool (scan-pool.ts): the detector on one file, off the event
// loop that answers webhooks. Takes and returns plain data only (see scan-wire.ts).
import { detect, mayContainKeypair } from "../detect/index.js";
import { scanFileText } from "./push-file.js";
import { toWire } from "./scan-wire.js";
export default function scanFile(request) {
    return toWire(scanFileText(request, detect, mayContainKeypair));
}
//# sourceMappingURL=scan-worker.js.map