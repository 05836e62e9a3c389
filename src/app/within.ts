// Waiting for something, but not for ever: readiness checks and the shutdown's grace periods.

/**
 * Resolves true when `work` fulfils within `ms`, false when it rejects or the time runs out first.
 * The work itself is not stopped; the timer does not keep the process alive.
 */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
