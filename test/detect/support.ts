// Shared helpers for detector tests: keypairs are generated at run time, never committed.
import { expect } from "vitest";
import { detect } from "../../src/detect/index.js";
import type { Candidate, DetectResult } from "../../src/detect/types.js";
import { randomKeypair } from "../helpers/keypairs.js";

export type Raw = { identifier: string; key: string };

export function kp(): Raw {
  return randomKeypair();
}

export function scan(text: string, path = "config/app.txt"): DetectResult {
  return detect(text, { path });
}

/** The raw halves a candidate holds (tests only). */
export function halves(c: Candidate): Raw {
  return c.keypair.reveal();
}

/** Asserts exactly the given keypairs were found, in order, unsuppressed unless said. */
export function expectFound(result: DetectResult, ...expected: Raw[]): Candidate[] {
  expect(result.candidates.map((c) => halves(c))).toEqual(
    expected.map((e) => ({ identifier: e.identifier.toLowerCase(), key: e.key.toLowerCase() })),
  );
  return result.candidates;
}

export function expectNone(result: DetectResult): void {
  expect(result.candidates.map((c) => c.keypair.redacted)).toEqual([]);
}

/** 1-based line and column of `needle`'s first occurrence in `text`. */
export function positionOf(text: string, needle: string): { line: number; column: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error("needle not in text");
  const before = text.slice(0, i);
  const line = before.split("\n").length;
  return { line, column: i - (before.lastIndexOf("\n") + 1) + 1 };
}

/** A 64-hex digest-looking value, made at run time. */
export function hex64(): string {
  return randomKeypair().key;
}
