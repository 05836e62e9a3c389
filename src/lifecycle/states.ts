// A secret's states and the one function that moves it between them, and the rotation decision.
// Pure; store.ts applies them to the store.
//
//   detected ──verified live──▶ live ──rotator requested──▶ rotation_requested ──re-check 401──▶ dead
//       │                        │   └─rotator rotated────▶ rotated ─────────────re-check 401──▶ dead
//       └──verified unknown──▶ unknown (rotated too when `when: live-or-unknown`)
//   any state ──Crisp answers 401──▶ dead (terminal: a rolled Crisp token never comes back)
import type { RotationStatus, VerificationStatus } from "../detect/types.js";
import type { RotateWhen } from "../rotate/types.js";
import type { SecretState } from "../store/types.js";

export type { SecretState };

/** What moves a secret from one state to the next. */
export type LifecycleEvent =
  /** A verification (the first check or a re-check) answered. */
  | { type: "verified"; status: VerificationStatus }
  /** A rotator answered. */
  | { type: "rotation"; status: RotationStatus };

/** States in which the secret has been handed to a rotator that took it: not to be handed again. */
const ROTATION_UNDER_WAY: ReadonlySet<SecretState> = new Set(["rotation_requested", "rotated", "dead"]);

/**
 * The state after an event. Dead is terminal; a verification never undoes a rotation under way
 * (a key still live after rotation was requested is still awaiting its roll); a failed or skipped
 * rotator changes nothing, so another push may try again.
 */
export function nextState(state: SecretState, event: LifecycleEvent): SecretState {
  if (state === "dead") return "dead";
  if (event.type === "verified") {
    if (event.status === "dead") return "dead";
    if (ROTATION_UNDER_WAY.has(state)) return state;
    if (event.status === "live") return "live";
    if (event.status === "unknown" && state === "detected") return "unknown";
    return state;
  }
  if (event.status === "rotated") return "rotated";
  if (event.status === "requested") return state === "rotated" ? "rotated" : "rotation_requested";
  return state;
}

/**
 * "A secret is rotated once, not once per push, commit or delivery": hand it to the rotators only
 * when config says so for this verification status (`when`: live, live-or-unknown, never) and no
 * rotation is under way or done. `state` is undefined for a secret the store has never seen.
 */
export function shouldRotateSecret(
  state: SecretState | undefined,
  status: VerificationStatus,
  when: RotateWhen,
): boolean {
  if (state !== undefined && ROTATION_UNDER_WAY.has(state)) return false;
  return shouldRotate(when, status);
}

/** DESIGN.md `when`: live (default), live-or-unknown, never. An unverified secret is never rotated. */
export function shouldRotate(when: RotateWhen, status: VerificationStatus): boolean {
  if (when === "live") return status === "live";
  if (when === "live-or-unknown") return status === "live" || status === "unknown";
  return false;
}

/** Whether a rotation outcome starts the re-check series (a rotator took the leak). */
export function startsRechecks(status: RotationStatus): boolean {
  return status === "requested" || status === "rotated";
}

