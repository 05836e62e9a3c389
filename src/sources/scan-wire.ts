// A file scan's result as it crosses between threads. Structured clone keeps plain data only, so
// the Keypair class (which hides the raw halves behind redacted JSON and inspect forms) cannot
// cross: its halves go as plain strings and the Keypair is rebuilt on the receiving side. The wire
// form holds raw halves: it is kept in memory only, never logged, stored or sent.
import { HalfValue, Keypair } from "../detect/fingerprint.js";
import type { Candidate, LoneHalf, RawKeypair } from "../detect/types.js";
import type { FileScan } from "./push-file.js";

export interface WireCandidate extends Omit<Candidate, "keypair"> {
  halves: RawKeypair;
}

/** A lone half with its value as a plain string (HalfValue, like Keypair, cannot cross). */
export interface WireLoneHalf extends Omit<LoneHalf, "half"> {
  value: string;
}

export interface WireFileScan extends Omit<FileScan, "candidates" | "lone"> {
  candidates: Array<{ candidate: WireCandidate; line: number | null }>;
  lone?: WireLoneHalf[];
}

export function candidateToWire({ keypair, ...rest }: Candidate): WireCandidate {
  return { ...rest, halves: keypair.reveal() };
}

export function candidateFromWire({ halves, ...rest }: WireCandidate): Candidate {
  const keypair = new Keypair(halves.identifier, halves.key);
  // The fingerprint was computed on the other side: a mismatch is a bug, named without the key.
  if (keypair.fingerprint !== rest.fingerprint) throw new Error(`scan result for ${rest.occurrence.path} is inconsistent`);
  return { ...rest, keypair };
}

export function toWire(scan: FileScan): WireFileScan {
  return {
    ...scan,
    candidates: scan.candidates.map(({ candidate, line }) => ({ candidate: candidateToWire(candidate), line })),
    lone: (scan.lone ?? []).map(({ half, ...rest }) => ({ ...rest, value: half.reveal() })),
  };
}

export function fromWire(wire: WireFileScan): FileScan {
  return {
    ...wire,
    candidates: wire.candidates.map(({ candidate, line }) => ({ candidate: candidateFromWire(candidate), line })),
    lone: (wire.lone ?? []).map(({ value, ...rest }) => ({ ...rest, half: new HalfValue(rest.kind, value) })),
  };
}
