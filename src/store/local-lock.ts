// Named locks within one process: what an SQLite store (one process per file) needs for the same
// contract the Postgres store keeps across processes with advisory locks. Each name is a chain of
// promises: a task starts when the one before it under that name has settled, however it ended.

export interface LockOptions {
  /** Give up (LockBusyError) when the lock is not had within this long; default: wait for it. */
  waitMs?: number;
}

export type WithLock = <T>(name: string, task: () => Promise<T>, options?: LockOptions) => Promise<T>;

/** The lock stayed held by another task for the whole wait: nothing of `task` ran. */
export class LockBusyError extends Error {
  override readonly name = "LockBusyError";
  constructor(lock: string, waitMs: number) {
    super(`lock ${lock} still held by another task after ${waitMs} ms`);
  }
}

export function createLocalLocks(): WithLock {
  const tails = new Map<string, Promise<void>>();
  return async <T>(name: string, task: () => Promise<T>, options: LockOptions = {}): Promise<T> => {
    const previous = tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    tails.set(name, tail);
    if (options.waitMs !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = await Promise.race([
        previous.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), options.waitMs))),
      ]);
      clearTimeout(timer);
      if (gaveUp) {
        // Our place in the chain passes on as soon as the holder is done: we never ran.
        release();
        if (tails.get(name) === tail) void tail.then(() => tails.get(name) === tail && tails.delete(name));
        throw new LockBusyError(name, options.waitMs);
      }
    }
    await previous;
    try {
      return await task();
    } finally {
      release();
      // The last holder forgets the name, so the map does not grow with every name ever locked.
      if (tails.get(name) === tail) tails.delete(name);
    }
  };
}

const byFile = new Map<string, WithLock>();

/** The locks of one database file, shared by every store the process opens on it (":memory:": its own). */
export function localLocksFor(file: string | null): WithLock {
  if (file === null) return createLocalLocks();
  let locks = byFile.get(file);
  if (!locks) byFile.set(file, (locks = createLocalLocks()));
  return locks;
}
