// A secret's life until its key is dead (DESIGN.md "lifecycle/"): states and transitions, the
// rotation decision, the re-check schedule and scheduler, reading a key back, the notes it writes.
export * from "./states.js";
export * from "./schedule.js";
export { advanceSecretState, shouldRotateStored } from "./store.js";
export { createRecheckScheduler, issueFromRotations, type RecheckScheduler, type RecheckSchedulerDeps } from "./recheck.js";
