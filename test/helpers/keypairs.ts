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

/**
 * The keypair's halves as text and in base64: each half alone, and "identifier:key" (HTTP Basic's
 * form, which is what the Crisp request carries). A dump holding any of them holds the key.
 */
export function rawForms(kp: { identifier: string; key: string }): string[] {
  const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
  return [kp.identifier, kp.key, b64(kp.identifier), b64(kp.key), b64(`${kp.identifier}:${kp.key}`)];
}

/** The forms of rawForms that occur in `text` (case-insensitive for the hex/UUID halves). */
export function rawFormsIn(text: string, kp: { identifier: string; key: string }): string[] {
  const [identifier, key, ...encoded] = rawForms(kp);
  const lower = text.toLowerCase();
  return [
    ...[identifier!, key!].filter((f) => lower.includes(f.toLowerCase())),
    ...encoded.filter((f) => text.includes(f)),
  ];
}
