import { randomBytes, randomUUID } from "node:crypto";

/** A synthetic keypair made at run time: never a real secret. */
export function randomKeypair(): { identifier: string; key: string } {
  return { identifier: randomUUID(), key: randomBytes(32).toString("hex") };
}

export function randomWebsiteId(): string {
  return randomUUID();
}

/** Assert helper: does this text hold any raw half of the keypair? */
export function holdsRaw(text: string, kp: { identifier: string; key: string }): boolean {
  const t = text.toLowerCase();
  return t.includes(kp.key.toLowerCase()) || t.includes(kp.identifier.toLowerCase());
}
