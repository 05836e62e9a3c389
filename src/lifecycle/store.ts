// The lifecycle's state transitions applied to the store: what the app's worker calls after a
// verification or a rotator's answer, so the state by fingerprint follows lifecycle.ts's rules.
import type { SecretState, Store } from "../store/types.js";
import { nextState, shouldRotateSecret, type LifecycleEvent } from "./states.js";
import type { RotateWhen } from "../rotate/types.js";
import type { VerificationStatus } from "../detect/types.js";

/** Moves the secret to the state the event leads to; returns it (undefined for an unknown secret). */
export async function advanceSecretState(
  store: Store,
  fingerprint: string,
  event: LifecycleEvent,
): Promise<SecretState | undefined> {
  const secret = await store.getSecret(fingerprint);
  if (!secret) return undefined;
  const next = nextState(secret.state, event);
  if (next !== secret.state) await store.setSecretState(fingerprint, next);
  return next;
}

/**
 * shouldRotateSecret with the store's knowledge: its state, and any rotation already recorded as
 * requested or rotated (a rotation recorded before its state was set still counts).
 */
export async function shouldRotateStored(
  store: Store,
  fingerprint: string,
  status: VerificationStatus,
  when: RotateWhen,
): Promise<boolean> {
  if (await store.hasRotationRequested(fingerprint)) return false;
  return shouldRotateSecret((await store.getSecret(fingerprint))?.state, status, when);
}
