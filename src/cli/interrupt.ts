// Ctrl-C and SIGTERM during a scan: stop every git child, remove temporary clones, clear the
// progress line, and exit 128 + the signal's number (the shell's convention, DESIGN.md).

export type InterruptSignal = "SIGINT" | "SIGTERM";

/** 128 + signal number: SIGINT is 2, SIGTERM is 15. */
export const INTERRUPT_EXIT: Readonly<Record<InterruptSignal, number>> = Object.freeze({ SIGINT: 130, SIGTERM: 143 });

export class Interrupted extends Error {
  override readonly name = "AbortError";
  constructor(readonly signal: InterruptSignal) {
    super(`interrupted by ${signal}`);
  }
}

export interface InterruptScope {
  /** Aborted on the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** The signal that arrived, if one did. */
  readonly received: InterruptSignal | null;
  /** Resolves when a signal arrives (never rejects): race long work against it. */
  readonly arrived: Promise<InterruptSignal>;
  dispose(): void;
}

/**
 * Catches SIGINT and SIGTERM for the duration of a command. The first one aborts `signal`, so the
 * command unwinds and cleans up; a second one exits at once (the user insists).
 */
export function catchInterrupts(proc: NodeJS.Process = process): InterruptScope {
  const controller = new AbortController();
  let received: InterruptSignal | null = null;
  let resolveArrived: (s: InterruptSignal) => void = () => {};
  const arrived = new Promise<InterruptSignal>((r) => (resolveArrived = r));
  const handler = (signal: InterruptSignal) => {
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
