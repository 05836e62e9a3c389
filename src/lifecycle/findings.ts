// Rebuilds, from the store, the Findings that the GitHub reporter's text functions take, so a
// re-check can rewrite a commit comment or a check run long after the push that made them.
import { Keypair } from "../detect/fingerprint.js";
import type { Finding, Occurrence, RawKeypair, Verification } from "../detect/types.js";
import { UNVERIFIED } from "../detect/types.js";
import type { LeakUpdate } from "../report/github-text.js";
import type { SecretRow, Store } from "../store/types.js";
import { isAlarmNote } from "./schedule.js";

/**
 * A keypair known only by its redacted halves, for a secret that is shown (in a check run listing
 * several) but was not read back. reveal() gives nothing: there is no raw half to scrub or send.
 */
export class RedactedKeypair extends Keypair {
  constructor(secret: Pick<SecretRow, "fingerprint" | "redactedIdentifier" | "keyHint">) {
    // Keypair derives its redacted forms from the halves: hand it what they were made from.
    super(secret.redactedIdentifier.replace(/…$/, ""), secret.keyHint.replace(/^…/, ""));
    (this as { fingerprint: string }).fingerprint = secret.fingerprint;
  }

  override reveal(): RawKeypair {
    return { identifier: "", key: "" };
  }
}

async function verificationOf(store: Store, fingerprint: string): Promise<Verification> {
  const row = await store.latestVerification(fingerprint);
  if (!row) return UNVERIFIED;
  const { recordedAt: _recordedAt, ...verification } = row;
  return verification;
}

/** The Finding for one secret in one repository, from the store. `keypair`: the real one when read back. */
export async function storedFinding(
  store: Store,
  fingerprint: string,
  repository: string,
  keypair?: Keypair,
): Promise<Finding | null> {
  const secret = await store.getSecret(fingerprint);
  if (!secret) return null;
  const occurrences: Occurrence[] = (await store.occurrencesOf(fingerprint))
    .filter((o) => o.repository === repository)
    .map(({ repository: _r, recordedAt: _at, ...o }) => o);
  return {
    fingerprint,
    keypair: keypair ?? new RedactedKeypair(secret),
    tier: secret.tier,
    websiteId: secret.websiteId,
    verification: await verificationOf(store, fingerprint),
    rotations: (await store.rotationsOf(fingerprint)).map(({ recordedAt: _at, ...r }) => r),
    occurrences,
  };
}

/** The lifecycle news to show for a secret, as the store knows it; undefined when there is none. */
export async function storedUpdate(store: Store, fingerprint: string): Promise<LeakUpdate | undefined> {
  const secret = await store.getSecret(fingerprint);
  if (!secret) return undefined;
  if (secret.state === "dead") return { kind: "dead", since: secret.deadAt ?? secret.updatedAt };
  const rechecks = await store.rechecksOf(fingerprint);
  const alarm = rechecks.find((r) => isAlarmNote(r.note));
  if (alarm) {
    const latest = await store.latestVerification(fingerprint);
    return {
      kind: "still-live",
      since: alarm.rotatedAt.toISOString(),
      checkedAt: latest?.checkedAt ?? alarm.completedAt ?? alarm.dueAt.toISOString(),
    };
  }
  return undefined;
}
