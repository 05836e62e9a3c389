// Reading fields of a webhook payload, which is untrusted JSON: a field of the wrong type reads as
// absent, never as a crash.
export type Json = Record<string, unknown>;

export function obj(value: unknown): Json {
  return value !== null && typeof value === "object" ? (value as Json) : {};
}
export function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
export function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
