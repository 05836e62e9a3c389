// Rotators run once per secret, across crashes: the intent is recorded in the store before a rotator
// is called, under an id that stays the same until the rotator has succeeded (as GitHub keeps
// X-GitHub-Delivery on a redelivery). A process killed while a rotator was in flight leaves that
// intent behind; the resumed job calls the rotator again with the same id and `resumed: true`, so the
// webhook receiver sees the same delivery id and the github-issue rotator looks for the issue it may
// already have opened. A failed attempt is retried the same way (a timed-out request may have
// arrived). An answer the store already holds (the crash came after it) is reused, not asked again.
import { randomUUID } from "node:crypto";
import type { RotationRecord, RotationStatus } from "../detect/types.js";
import type { Store } from "../store/types.js";
import { runRotators } from "./registry.js";
import type { Leak, Rotator } from "./types.js";

/** Answers after which the secret's rotation is done: a later attempt is a new request, with a new id. */
const SUCCEEDED: ReadonlySet<RotationStatus> = new Set(["requested", "rotated"]);

export type AttemptStore = Pick<Store, "rotationAttempt" | "startRotationAttempt" | "finishRotationAttempt">;

export interface RunOnceOptions {
  /** Runs one rotator on the leak (default: runRotators, which bounds and checks it). */
  run?: (rotator: Rotator, leak: Leak) => Promise<RotationRecord>;
  newId?: () => string;
}

// Two jobs of one process may meet the same secret at once: the second waits for the first's answer
// rather than running the rotator beside it. Keyed by store, as the store is what the attempts share.
const running = new WeakMap<object, Map<string, Promise<RotationRecord>>>();

function nameOf(rotator: Rotator): string {
  // As runRotators names a record: a rotator without a usable name is "unnamed".
  return typeof rotator.name === "string" && rotator.name ? rotator.name : "unnamed";
}

/** Every rotator on the leak, side by side, each at most once; one record per rotator, in order. */
export function runRotatorsOnce(
  store: AttemptStore,
  rotators: readonly Rotator[],
  leak: Leak,
  options: RunOnceOptions = {},
): Promise<RotationRecord[]> {
  const run = options.run ?? (async (r: Rotator, l: Leak) => (await runRotators([r], l))[0]!);
  const newId = options.newId ?? randomUUID;
  let mine = running.get(store);
  if (!mine) running.set(store, (mine = new Map<string, Promise<RotationRecord>>()));
  const inProcess = mine;

  return Promise.all(
    rotators.map((rotator) => {
      const name = nameOf(rotator);
      const key = `${leak.fingerprint}\0${name}`;
      const pending = inProcess.get(key);
      if (pending) return pending;
      const started = (async (): Promise<RotationRecord> => {
        const previous = await store.rotationAttempt(leak.fingerprint, name);
        if (previous?.status === "done" && previous.outcome) {
          // Answered before the process stopped, not yet recorded: that answer stands.
          return { rotator: name, ...previous.outcome };
        }
        const resumed = previous !== undefined && !(previous.outcome && SUCCEEDED.has(previous.outcome.status));
        const id = resumed ? previous.id : newId();
        await store.startRotationAttempt(leak.fingerprint, name, id);
        const record = await run(rotator, { ...leak, attempt: { id, resumed } });
        const { rotator: _name, ...outcome } = record;
        await store.finishRotationAttempt(leak.fingerprint, name, id, outcome);
        return { ...record, rotator: name };
      })().finally(() => inProcess.delete(key));
      inProcess.set(key, started);
      return started;
    }),
  );
}
