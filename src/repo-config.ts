// The repository config (.github/crisp-guard.yml): parsed and validated here, read by the app
// (through context.config) and by the CLI (from a file). Pure: text or plain objects in, config out.
import picomatch from "picomatch";
import { LineCounter, parseDocument } from "yaml";
import type { RotateWhen } from "./rotate/types.js";

export interface AllowEntry {
  fingerprint: string;
  reason: string;
}

export interface RepoConfig {
  verify: boolean;
  /** null: the server's default (its `defaults.rotate`), as the operator decided. */
  rotate: { when: RotateWhen | null; rotators: string[] | null };
  report: { commitComment: boolean; checkRun: boolean };
  pathsIgnore: string[];
  allow: AllowEntry[];
  /** What fails a pull request's merge gate: a live keypair (default), or any unsuppressed one. */
  gate: GateMode;
}

export type GateMode = "live" | "any";
export const GATE_MODES: readonly GateMode[] = ["live", "any"];

/** DESIGN.md defaults. A null `when` or `rotators` means "the server's default". */
export const DEFAULT_REPO_CONFIG: RepoConfig = Object.freeze({
  verify: true,
  rotate: { when: null, rotators: null },
  report: { commitComment: true, checkRun: true },
  pathsIgnore: [],
  allow: [],
  gate: "live",
});

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const ROTATE_WHEN: readonly RotateWhen[] = ["live", "live-or-unknown", "never"];
const FINGERPRINT = /^[0-9a-f]{64}$/;
/** Letters, '-' and '_' only: never a UUID or a hex key. */
const SETTING_NAME = /^[A-Za-z][A-Za-z_-]{0,39}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function bool(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "boolean") throw new ConfigError(`${field} must be true or false`);
  return value;
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return [value];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v.length > 0)) {
    throw new ConfigError(`${field} must be a list of strings`);
  }
  return value as string[];
}

/** Validates a parsed config object (from YAML or from Probot's context.config). */
export function normalizeRepoConfig(raw: unknown): RepoConfig {
  if (raw === undefined || raw === null) return structuredClone(DEFAULT_REPO_CONFIG);
  if (!isRecord(raw)) throw new ConfigError("the config must be a YAML mapping");

  const known = new Set(["verify", "rotate", "report", "paths-ignore", "allow", "gate"]);
  const unknown = Object.keys(raw).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    // A key is named only when it reads like a setting name: a pasted keypair must not be echoed.
    const named = unknown.filter((k) => SETTING_NAME.test(k));
    const what = named.length === unknown.length ? named.map((k) => `"${k}"`).join(", ") : `${unknown.length} unknown key(s)`;
    throw new ConfigError(`unknown setting ${what} (known: ${[...known].join(", ")})`);
  }

  const rotateRaw = raw.rotate ?? {};
  if (!isRecord(rotateRaw)) throw new ConfigError("rotate must be a mapping: { when, rotators }");
  const when = rotateRaw.when ?? null;
  if (when !== null && (typeof when !== "string" || !ROTATE_WHEN.includes(when as RotateWhen))) {
    throw new ConfigError(`rotate.when must be one of ${ROTATE_WHEN.join(", ")}`);
  }
  const rotators = rotateRaw.rotators === undefined ? null : stringList(rotateRaw.rotators, "rotate.rotators");

  const reportRaw = raw.report ?? {};
  if (!isRecord(reportRaw)) throw new ConfigError("report must be a mapping: { commitComment, checkRun }");

  const pathsIgnore = stringList(raw["paths-ignore"], "paths-ignore");
  pathsIgnore.forEach((glob, i) => {
    try {
      picomatch.makeRe(glob);
    } catch {
      throw new ConfigError(`paths-ignore[${i}] is not a valid glob`);
    }
  });

  const allowRaw = raw.allow ?? [];
  if (!Array.isArray(allowRaw)) throw new ConfigError("allow must be a list of { fingerprint, reason }");
  const allow = allowRaw.map((entry, i): AllowEntry => {
    if (!isRecord(entry) || typeof entry.fingerprint !== "string") {
      throw new ConfigError(`allow[${i}] must have a fingerprint`);
    }
    const fp = entry.fingerprint.toLowerCase();
    // A fingerprint is public; anything else here may be a pasted key, so it is never echoed.
    if (!FINGERPRINT.test(fp)) throw new ConfigError(`allow[${i}].fingerprint must be 64 hex characters (a fingerprint from a report)`);
    return { fingerprint: fp, reason: typeof entry.reason === "string" ? entry.reason : "allowed in config" };
  });

  const gate = raw.gate ?? DEFAULT_REPO_CONFIG.gate;
  // The value is not echoed: whatever was typed there might be a pasted key.
  if (typeof gate !== "string" || !GATE_MODES.includes(gate as GateMode)) {
    throw new ConfigError(`gate must be one of ${GATE_MODES.join(", ")}`);
  }

  return {
    verify: bool(raw.verify, "verify", DEFAULT_REPO_CONFIG.verify),
    rotate: { when: when as RotateWhen | null, rotators },
    report: {
      commitComment: bool(reportRaw.commitComment, "report.commitComment", true),
      checkRun: bool(reportRaw.checkRun, "report.checkRun", true),
    },
    pathsIgnore,
    allow,
    gate: gate as GateMode,
  };
}

export function parseRepoConfig(yamlText: string): RepoConfig {
  // prettyErrors off and warnings kept in the document (not sent to process.emitWarning): yaml's
  // messages quote the offending line, which could hold a secret. Only the position is reported.
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { prettyErrors: false, logLevel: "silent", lineCounter });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const pos = lineCounter.linePos(problem.pos[0]);
    throw new ConfigError(`invalid YAML at line ${pos.line}, column ${pos.col}`);
  }
  return normalizeRepoConfig(doc.toJS());
}

/** A predicate for paths-ignore: true when the path matches any of the globs. */
export function pathMatcher(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const match = picomatch(globs as string[], { dot: true });
  return (path) => match(path);
}
