// The repository config (.github/crisp-guard.yml): parsed and validated here, read by the app
// (through context.config) and by the CLI (from a file). Pure: text or plain objects in, config out.
// The schema below is the whole of its rules, and RepoConfig is inferred from it.
import picomatch from "picomatch";
import * as v from "valibot";
import { LineCounter, parseDocument } from "yaml";
import { ROTATE_WHEN } from "../rotate/types.js";
import { looseMapping, parseWith, strictMapping, type IssueStyle } from "./schema-errors.js";

export const GATE_MODES = ["live", "any"] as const;
/** What fails a pull request's merge gate: a live keypair (default), or any unsuppressed one. */
export type GateMode = (typeof GATE_MODES)[number];

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const FINGERPRINT = /^[0-9a-f]{64}$/;
/** `rotate.when must be one of …`: the sentence form these messages have always had. */
const STYLE: IssueStyle = { separator: " ", root: "the config", unknownKey: "quoted" };

const bool = (fallback: boolean) => v.nullish(v.boolean("must be true or false"), fallback);

/** Absent or null: empty; one string: a list of it. */
const stringList = v.nullish(
  v.union(
    [
      v.pipe(v.string(), v.transform((s) => [s])),
      v.custom<string[]>((x) => Array.isArray(x) && x.every((s) => typeof s === "string" && s.length > 0), "must be a list of strings"),
    ],
    "must be a list of strings",
  ),
  [],
);

function isGlob(glob: string): boolean {
  try {
    picomatch.makeRe(glob);
    return true;
  } catch {
    return false;
  }
}

const AllowEntrySchema = v.pipe(
  v.custom<{ fingerprint: string }>(
    (x) => x !== null && typeof x === "object" && !Array.isArray(x) && typeof (x as { fingerprint?: unknown }).fingerprint === "string",
    "must have a fingerprint",
  ),
  v.object({
    // A fingerprint is public; anything else here may be a pasted key, and no value is ever echoed.
    fingerprint: v.pipe(v.string(), v.toLowerCase(), v.regex(FINGERPRINT, "must be 64 hex characters (a fingerprint from a report)")),
    reason: v.fallback(v.string(), "allowed in config"),
  }),
);
export type AllowEntry = v.InferOutput<typeof AllowEntrySchema>;

const RepoConfigSchema = v.pipe(
  strictMapping(
    {
      rotate: v.nullish(
        looseMapping(
          {
            // null: the server's default (its `defaults.rotate`), as the operator decided.
            when: v.nullish(v.picklist(ROTATE_WHEN, `must be one of ${ROTATE_WHEN.join(", ")}`), null),
            // Absent: the server's default; present but empty: none.
            rotators: v.optional(stringList),
          },
          "must be a mapping: { when, rotators }",
        ),
        {},
      ),
      report: v.nullish(
        looseMapping({ commitComment: bool(true), checkRun: bool(true) }, "must be a mapping: { commitComment, checkRun }"),
        {},
      ),
      "paths-ignore": v.pipe(
        stringList,
        v.rawCheck(({ dataset, addIssue }) => {
          if (!dataset.typed) return;
          dataset.value.forEach((glob, i) => {
            if (!isGlob(glob)) addIssue({ message: "is not a valid glob", path: [{ type: "array", origin: "value", input: dataset.value, key: i, value: glob }] });
          });
        }),
      ),
      allow: v.nullish(v.array(AllowEntrySchema, "must be a list of { fingerprint, reason }"), []),
      gate: v.nullish(v.picklist(GATE_MODES, `must be one of ${GATE_MODES.join(", ")}`), "live"),
      verify: bool(true),
      // A backfill reports in one check run and the rotators' issues; comments on old commits only when asked.
      backfill: v.nullish(looseMapping({ commitComments: bool(false) }, "must be a mapping: { commitComments }"), {}),
    },
    // Checked in the order the settings were always checked; listed in DESIGN.md's order.
    { notMapping: "must be a YAML mapping", unknown: "known", known: ["verify", "rotate", "report", "paths-ignore", "allow", "gate", "backfill"] },
  ),
  v.transform((c) => ({
    verify: c.verify,
    rotate: { when: c.rotate.when, rotators: c.rotate.rotators ?? null },
    report: { commitComment: c.report.commitComment, checkRun: c.report.checkRun },
    pathsIgnore: c["paths-ignore"],
    allow: c.allow,
    gate: c.gate,
    backfill: { commitComments: c.backfill.commitComments },
  })),
);

export type RepoConfig = v.InferOutput<typeof RepoConfigSchema>;

/** DESIGN.md defaults. A null `when` or `rotators` means "the server's default". */
export const DEFAULT_REPO_CONFIG: RepoConfig = Object.freeze(v.parse(RepoConfigSchema, {}));

/** Validates a parsed config object (from YAML or from Probot's context.config). */
export function normalizeRepoConfig(raw: unknown): RepoConfig {
  const parsed = parseWith(RepoConfigSchema, raw ?? {}, STYLE);
  if (!parsed.ok) throw new ConfigError(parsed.message);
  return parsed.value;
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
