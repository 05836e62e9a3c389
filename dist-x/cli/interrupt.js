// Ctrl-C and SIGTERM during a scan: stop every git child, remove temporary clones, clear the
// progress line, and exit 128 + the signal's number (the shell's convention, DESIGN.md).
/** 128 + signal number: SIGINT is 2, SIGTERM is 15. */
export const INTERRUPT_EXIT = Object.freeze({ SIGINT: 130, SIGTERM: 143 });
export class Interrupted extends Error {
    signal;
    name = "AbortError";
    constructor(signal) {
        super(`interrupted by ${signal}`);
        this.signal = signal;
    }
}
/**
 * Catches SIGINT and SIGTERM for the duration of a command. The first one aborts `signal`, so the
 * command unwinds and cleans up; a second one exits at once (the user insists).
 */
export function catchInterrupts(proc = process) {
    const controller = new AbortController();
    let received = null;
    let resolveArrived = () => { };
    const arrived = new Promise((r) => (resolveArrived = r));
    const handler = (signal) => {
        if (received !== null) {
            proc.exit(INTERRUPT_EXIT[signal]);
            return;
        }
        received = signal;
        controller.abort(new Interrupted(signal));
        resolveArrived(signal);
    };
    const onInt = () => handler("SIGINT");
    const onTerm = () => handler("SIGTERM");
    proc.on("SIGINT", onInt);
    proc.on("SIGTERM", onTerm);
    return {
        signal: controller.signal,
        get received() {
            return received;
        },
        arrived,
        dispose() {
            proc.off("SIGINT", onInt);
            proc.off("SIGTERM", onTerm);
        },
    };
}
//# sourceMappingURL=interrupt.js.map