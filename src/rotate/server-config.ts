import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import * as v from "valibot";
import { LineCounter, parseDocument } from "yaml";
import { isLoopbackHost } from "../config/loopback.js";
import { anyMapping, formatPath, parseWith, required, strictMapping, type IssueStyle } from "../config/schema-errors.js";
import { GITHUB_LOGIN, parseRepository, type RepoRef } from "../github/repository.js";
import { ROTATE_WHEN } from "./types.js";

// The server config (DESIGN.md, CRISP_GUARD_CONFIG): what only the operator decides. The schemas
// below are the whole of its rules; the types are inferred from them. Errors are one line, name the
// setting's path, and never print a value (it may have come from the environment).

export class ServerConfigError extends Error {
  override name = "ServerConfigError";
}

/** Rotators the server config can enable; `noop` needs no settings and is always available. */
export const CONFIGURABLE_ROTATORS = ["github-issue", "webhook", "command", "module"] as const;
export const KNOWN_ROTATORS = [...CONFIGURABLE_ROTATORS, "noop"] as const;
export type RotatorName = (typeof KNOWN_ROTATORS)[number];

/** Webhook: DESIGN.md default; long enough for a slow receiver, short enough to keep the worker moving. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
/** Webhook: two retries after the first attempt, on 5xx and network errors. */
export const DEFAULT_WEBHOOK_RETRIES = 2;
/** Command: DESIGN.md default; password-manager CLIs and browser automation take a while. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;
/** Below this nothing over a network or a process start can finish: a typo (seconds for ms). */
export const MIN_TIMEOUT_MS = 100;
/** Above this a rotator holds the worker too long; rotation is a hand-off, not the roll itself. */
export const MAX_TIMEOUT_MS = 300_000;
/** More retries only repeat a delivery the receiver is refusing. */
export const MAX_WEBHOOK_RETRIES = 5;
/** What a command inherits from the server's environment; nothing else (not the app's own secrets). */
export const COMMAND_INHERITED_ENV = ["PATH", "HOME", "LANG", "TMPDIR", "SystemRoot"] as const;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const STYLE: IssueStyle = { separator: ": ", root: "top level", unknownKey: "path" };

// ---- values ------------------------------------------------------------------------------------

const REQUIRED_TEXT = "required, a non-empty string";
const requiredText = v.pipe(
  required(v.string(REQUIRED_TEXT)),
  v.check((s) => s.trim() !== "", REQUIRED_TEXT),
);

/** `${NAME}` substitutes to text, and YAML reads `3` as a number: both mean their text here. */
const asText = v.transform((value: unknown) => (typeof value === "number" || typeof value === "boolean" ? String(value) : value));

/** Absent or null: empty. Numbers are their text. */
function textList(allowEmptyStrings: boolean, item: v.GenericSchema<string, string> = v.string()) {
  const text = v.pipe(
    v.unknown(),
    v.transform((x) => (typeof x === "number" ? String(x) : x)),
    v.string("must be a string"),
    v.check((s) => allowEmptyStrings || s.trim() !== "", "must be a string"),
    item,
  );
  return v.nullish(v.array(text, "must be a list of strings"), []);
}

/** Absent or null: `fallback`; "true" and "false" from `${NAME}` count. */
function flag(fallback: boolean) {
  return v.nullish(
    v.pipe(
      v.unknown(),
      v.transform((x) => (x === "true" ? true : x === "false" ? false : x)),
      v.boolean("must be true or false"),
    ),
    fallback,
  );
}

/** Absent or null: `fallback`; digits from `${NAME}` count. */
function wholeNumber(fallback: number, min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return v.nullish(
    v.pipe(
      v.unknown(),
      v.transform((x) => (typeof x === "string" && /^\d+$/.test(x) ? Number(x) : x)),
      v.number(message),
      v.integer(message),
      v.minValue(min, message),
      v.maxValue(max, message),
    ),
    fallback,
  );
}

const timeout = (fallback: number) => wholeNumber(fallback, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);

function tryUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** DESIGN.md: https, or http on a loopback address only. No credentials in the URL: use `secret`. */
const webhookUrl = v.pipe(
  requiredText,
  v.check((t) => tryUrl(t) !== null, "not a valid URL"),
  v.check((t) => !tryUrl(t)?.username && !tryUrl(t)?.password, "must not hold credentials (the body is signed with secret)"),
  v.check((t) => {
    const u = tryUrl(t);
    return u?.protocol === "https:" || (u?.protocol === "http:" && isLoopbackHost(u.hostname));
  }, "must be https, or http on a loopback address (127.0.0.1, ::1, localhost)"),
  v.transform((t) => new URL(t).href),
);

// ---- rotators ----------------------------------------------------------------------------------

const GithubIssueSchema = strictMapping({
  /** Where issues go; null: the leaking repository. */
  repository: v.nullish(
    v.pipe(
      requiredText,
      v.check((full) => parseRepository(full) !== null, 'must be "owner/repo"'),
      v.transform((full): RepoRef => parseRepository(full)!),
    ),
    null,
  ),
  /** Extra labels; the `crisp-guard` label is always added (it is how open issues are found again). */
  labels: textList(false),
  /** Logins always assigned, besides the pusher (e.g. a security team member). */
  assignees: textList(false, v.pipe(v.string(), v.regex(GITHUB_LOGIN, "is not a GitHub login"))),
});

const WebhookSchema = strictMapping({
  url: webhookUrl,
  secret: requiredText,
  includeKeypair: flag(false),
  timeoutMs: timeout(DEFAULT_WEBHOOK_TIMEOUT_MS),
  retries: wholeNumber(DEFAULT_WEBHOOK_RETRIES, 0, MAX_WEBHOOK_RETRIES),
});

const CommandSchema = strictMapping({
  /** Absolute, or a bare name looked up on PATH. Relative paths are resolved against the config's dir. */
  path: requiredText,
  args: textList(true),
  timeoutMs: timeout(DEFAULT_COMMAND_TIMEOUT_MS),
  includeKeypair: flag(false),
  /**
   * The whole environment the command gets: PATH, HOME, LANG, TMPDIR from the server (added by
   * parseServerConfig), plus `env:`.
   */
  env: v.nullish(
    v.pipe(
      anyMapping(),
      v.record(v.pipe(v.string(), v.regex(ENV_NAME, "is not a variable name")), v.pipe(v.unknown(), asText, v.string("must be a string"))),
    ),
    {},
  ),
});

const ModuleSchema = strictMapping({
  /** Absolute when the config was loaded from a file; otherwise as written (resolved against cwd). */
  path: requiredText,
  /** Handed to a factory default export. */
  settings: v.nullish(anyMapping(), {}),
});

/** `name:` with nothing after it means "enabled, with the defaults". */
const enabled = <S extends v.GenericSchema>(schema: S) => v.optional(v.nullable(schema, {} as v.InferInput<S>));

const RotatorsSchema = strictMapping({
  "github-issue": enabled(GithubIssueSchema),
  webhook: enabled(WebhookSchema),
  command: enabled(CommandSchema),
  module: enabled(ModuleSchema),
  noop: enabled(strictMapping({})),
});

export type GithubIssueSettings = v.InferOutput<typeof GithubIssueSchema>;
export type WebhookSettings = v.InferOutput<typeof WebhookSchema>;
export type CommandSettings = v.InferOutput<typeof CommandSchema>;
export type ModuleSettings = v.InferOutput<typeof ModuleSchema>;
export type RotatorSettings = Omit<v.InferOutput<typeof RotatorsSchema>, "noop">;

// ---- defaults, and the whole ---------------------------------------------------------------------

const RotateDefaultsSchema = strictMapping({
  when: v.optional(v.picklist(ROTATE_WHEN, `must be one of ${ROTATE_WHEN.join(", ")}`), "live"),
  rotators: textList(false),
});
export type RotateDefaults = v.InferOutput<typeof RotateDefaultsSchema>;

const ServerConfigSchema = v.pipe(
  strictMapping({
    rotators: v.nullish(RotatorsSchema, {}),
    defaults: v.nullish(strictMapping({ rotate: v.nullish(RotateDefaultsSchema, {}) }), {}),
  }),
  // The defaults may only name rotators this config enables.
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const on = enabledRotators(dataset.value);
    const names = dataset.value.defaults.rotate.rotators;
    names.forEach((name, i) => {
      if ((on as string[]).includes(name)) return;
      // A rotator's own name may be quoted; anything else might be a pasted secret.
      const known = (KNOWN_ROTATORS as readonly string[]).includes(name);
      const keys = known ? ["defaults", "rotate", "rotators"] : ["defaults", "rotate", "rotators", i];
      addIssue({
        message: `${known ? `"${name}" ` : ""}is not enabled under rotators (enabled: ${on.join(", ")})`,
        path: keys.map((key) => ({ type: "unknown", origin: "value", input: undefined, key, value: undefined })) as never,
      });
    });
  }),
);

export interface ServerConfig {
  rotators: RotatorSettings;
  defaults: { rotate: RotateDefaults };
}

export interface ParseOptions {
  /** The config file's directory: relative module and command paths are resolved against it. */
  baseDir?: string;
}

/** Reads and parses the server config file; `${NAME}` comes from `env`. Throws ServerConfigError. */
export async function loadServerConfig(
  path: string,
  env: Record<string, string | undefined>,
): Promise<ServerConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "read error";
    throw new ServerConfigError(`server config ${path}: cannot read it (${code})`);
  }
  return parseServerConfig(text, env, { baseDir: dirname(resolve(path)) });
}

export function parseServerConfig(
  yamlText: string,
  env: Record<string, string | undefined>,
  options: ParseOptions = {},
): ServerConfig {
  const lines = new LineCounter();
  // No pretty errors: they quote the source around the error, and the source may hold a secret.
  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  const first = doc.errors[0];
  if (first) {
    const what = first.message.split("\n")[0];
    throw new ServerConfigError(`server config: invalid YAML at line ${lines.linePos(first.pos[0]).line}: ${what}`);
  }
  const raw: unknown = doc.toJS();
  // An empty file: nothing enabled, nothing rotated.
  const root = raw === null || raw === undefined ? {} : substituteEnv(raw, env, []);
  const parsed = parseWith(ServerConfigSchema, root, STYLE);
  if (!parsed.ok) throw new ServerConfigError(`server config: ${parsed.message}`);
  const { noop: _noop, ...rotators } = parsed.value.rotators;
  return { rotators: resolvePaths(rotators, env, options.baseDir), defaults: parsed.value.defaults };
}

/** Names a repository may choose under this config (the enabled ones, and noop). */
export function enabledRotators(config: Pick<ServerConfig, "rotators">): RotatorName[] {
  const names = CONFIGURABLE_ROTATORS.filter((n) => config.rotators[n] !== undefined);
  return [...names, "noop"];
}

/** Relative paths against the config file's directory; the command's environment from the server's. */
function resolvePaths(
  rotators: RotatorSettings,
  env: Record<string, string | undefined>,
  baseDir: string | undefined,
): RotatorSettings {
  const out = { ...rotators };
  if (out.command) {
    const { path } = out.command;
    // A bare name is looked up on PATH; anything with a slash is a path, relative to the config file.
    const resolved = path.includes("/") && !isAbsolute(path) && baseDir ? resolve(baseDir, path) : path;
    const commandEnv: Record<string, string> = {};
    for (const name of COMMAND_INHERITED_ENV) {
      const value = env[name];
      if (value !== undefined) commandEnv[name] = value;
    }
    out.command = { ...out.command, path: resolved, env: { ...commandEnv, ...out.command.env } };
  }
  if (out.module) {
    const { path } = out.module;
    out.module = { ...out.module, path: baseDir && !isAbsolute(path) ? resolve(baseDir, path) : path };
  }
  return out;
}

// ---- ${NAME} substitution -----------------------------------------------------------------------

// `$${NAME}` stays a literal `${NAME}`; `${NAME}` is replaced.
const ENV_REF = /\$\$\{|\$\{([^}]*)\}/g;

/** Substitutes in string values only (after parsing, so a value cannot change the YAML's structure). */
function substituteEnv(value: unknown, env: Record<string, string | undefined>, at: (string | number)[]): unknown {
  if (typeof value === "string") {
    return value.replace(ENV_REF, (match, name: string | undefined) => {
      if (name === undefined) return "${";
      // The reference itself is not quoted: it sits in a value, and a value is never printed.
      if (!ENV_NAME.test(name)) {
        throw new ServerConfigError(`server config: ${formatPath(at) || STYLE.root}: holds a \${...} that is not a variable name`);
      }
      const found = env[name];
      if (found === undefined) {
        throw new ServerConfigError(`server config: ${formatPath(at)}: environment variable ${name} is not set`);
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, [...at, i]));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(value)) out[k] = substituteEnv(item, env, [...at, k]);
    return out;
  }
  return value;
}
