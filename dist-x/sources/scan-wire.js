// A file scan's result as it crosses between threads. Structured clone keeps plain data only, so
// the Keypair class (which hides the raw halves behind redacted JSON and inspect forms) cannot
// cross: its halves go as plain strings and the Keypair is rebuilt on the receiving side. The wire
// form holds raw halves: it is kept in memory only, never logged, stored or sent.
import { Keypair } from "../detect/fingerprint.js";
export function toWire(scan) {
    return {
        ...scan,
        candidates: scan.candidates.map(({ candidate: { keypair, ...rest }, line }) => ({
            candidate: { ...rest, halves: keypair.reveal() },
            line,
        })),
    };
}
export function fromWire(wire) {
    return {
        ...wire,
        candidates: wire.candidates.map(({ candidate: { halves, ...rest }, line }) => {
            const keypair = new Keypair(halves.identifier, halves.key);
            // The fingerprint was computed on the other side: a mismatch is a bug, named without the key.
            if (keypair.fingerprint !== rest.fingerprint)
                throw new Error(`scan result for ${rest.occurrence.path} is inconsistent`);
            return { candidate: { ...rest, keypair }, line };
        }),
    };
}
//# sourceMappingURL=scan-wire.js.map