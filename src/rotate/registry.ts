import type { RotationRecord } from "../detect/types.js";
import { commandRotator } from "./command.js";
import { githubIssueRotator, type GithubIssueDeps } from "./github-issue.js";
import type { GithubLinks } from "./links.js";
import { loadModuleRotator, moduleRotator } from "./module.js";
import { noopRotator } from "./noop.js";
import { checkOutcome } from "./outcome.js";
import { redactSecretShapes } from "../detect/redact-text.js";
import { publicValues, safeDetail } from "./redact-text.js";
import {
  enabledRotators,
  KNOWN_ROTATORS,
  type RotateDefaults,
  type RotatorName,
  type ServerConfig,
} from "./server-config.js";
import type { Leak, Rotator } from "./types.js";
import { webhookRotator } from "./webhook.js";

// Which rotators run (the server config enables, the repository chooses) and running them so that
// one failing, hanging or lying rotator cannot stop the others or leak the key into a record.

export class RotatorSelectionError extends Error {
  override name = "RotatorSelectionError";
}

export interface RotatorDeps extends GithubLinks {
  /** An Octokit for a repository (the app: the installation's). github-issue needs it. */
  octokitFor?: GithubIssueDeps["octokitFor"];
  /** For the webhook rotator; default: global fetch. */
  fetch?: typeof fetch;
  /** Webhook backoff; tests pass zeros. */
  webhookRetryDelaysMs?: readonly number[];
  /** How the module rotator imports; default loadModuleRotator. */
  loadModule?: typeof loadModuleRotator;
}

/**
 * The rotators named (by a repository's config or the server defaults), built from the server's
 * settings. A name the server does not enable, or does not know, is an error: a repository cannot
 * switch on what the operator did not set up.
 */
export function createRotators(config: ServerConfig, names: readonly string[], deps: RotatorDeps = {}): Rotator[] {
  const enabled: readonly string[] = enabledRotators(config);
  const rotators: Rotator[] = [];
  for (const name of new Set(names)) {
    if (!(KNOWN_ROTATORS as readonly string[]).includes(name)) {
      throw new RotatorSelectionError(`unknown rotator "${name}" (known: ${KNOWN_ROTATORS.join(", ")})`);
    }
    if (!enabled.includes(name)) {
      throw new RotatorSelectionError(
        `rotator "${name}" is not enabled in the server config (enabled: ${enabled.join(", ")})`,
      );
    }
    rotators.push(build(config, name as RotatorName, deps));
  }
  return rotators;
}

function build(config: ServerConfig, name: RotatorName, deps: RotatorDeps): Rotator {
  const r = config.rotators;
  switch (name) {
    case "github-issue": {
      if (!deps.octokitFor) {
        throw new RotatorSelectionError(`rotator "github-issue" needs GitHub access, which this run does not have`);
      }
      return githubIssueRotator(r["github-issue"]!, { octokitFor: deps.octokitFor, githubUrl: deps.githubUrl });
    }
    case "webhook":
      return webhookRotator(r.webhook!, { fetch: deps.fetch, retryDelaysMs: deps.webhookRetryDelaysMs, githubUrl: deps.githubUrl });
    case "command":
      return commandRotator(r.command!, { githubUrl: deps.githubUrl });
    case "module":
      return moduleRotator(r.module!, deps.loadModule);
    case "noop":
      return noopRotator;
  }
}

/**
 * The repository's choice over the server's defaults, field by field. Pass the repository config's
 * `rotate` section (already parsed) or nothing; createRotators then checks the names.
 */
export function rotateChoice(config: ServerConfig, repository?: Partial<RotateDefaults> | null): RotateDefaults {
  const d = config.defaults.rotate;
  return { when: repository?.when ?? d.when, rotators: [...(repository?.rotators ?? d.rotators)] };
}

/**
 * The ceiling on one rotator for one leak, whatever its own settings: the longest built-in is a
 * webhook with 5 retries of 10 s each; anything slower is hung.
 */
export const DEFAULT_ROTATOR_TIMEOUT_MS = 120_000;

export interface RunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Runs every rotator on the leak, side by side; one record per rotator, in the given order. */
export function runRotators(rotators: readonly Rotator[], leak: Leak, options: RunOptions = {}): Promise<RotationRecord[]> {
  const signal = options.signal ?? new AbortController().signal;
  return Promise.all(rotators.map((r) => runOne(r, leak, rotatorCeilingMs(r, options.timeoutMs), signal)));
}

/**
 * A rotator's own ceiling (a command's configured timeout) wins over the generic one, so a
 * `timeoutMs: 3000` command is stopped after about 3 s, not 120 s; a caller's tighter limit wins over both.
 */
export function rotatorCeilingMs(rotator: Rotator, callerMs: number | undefined): number {
  const own = typeof rotator.ceilingMs === "number" && rotator.ceilingMs > 0 ? rotator.ceilingMs : DEFAULT_ROTATOR_TIMEOUT_MS;
  return Math.min(own, callerMs ?? Infinity);
}

/** Rotators that create GitHub content (an issue, a comment), which GitHub wants made one at a time. */
export const CONTENT_CREATING_ROTATORS: readonly string[] = ["github-issue"];

/**
 * Wraps the content-creating rotators so their work goes through `serial` (the app's per-installation
 * content queue), leaving the others (command, webhook, module) free to run side by side.
 */
export function serializeContentRotators(
  rotators: readonly Rotator[],
  serial: <T>(task: () => Promise<T>) => Promise<T>,
): Rotator[] {
  return rotators.map((r) => {
    if (!CONTENT_CREATING_ROTATORS.includes(r.name)) return r;
    const wrapped: Rotator = { name: r.name, rotate: (leak, signal) => serial(() => r.rotate(leak, signal)) };
    return r.ceilingMs === undefined ? wrapped : { ...wrapped, ceilingMs: r.ceilingMs };
  });
}

const TIMED_OUT = Symbol("timed out");
const ABORTED = Symbol("aborted");

async function runOne(rotator: Rotator, leak: Leak, timeoutMs: number, outer: AbortSignal): Promise<RotationRecord> {
  const name = typeof rotator.name === "string" && rotator.name ? rotator.name : "unnamed";
  const keep = publicValues(leak);
  const failed = (detail: string): RotationRecord => ({ rotator: name, status: "failed", detail: safeDetail(detail, keep) });

  const ctrl = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  // Racing, not just aborting: a rotator that ignores its signal still gets a record on time.
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      ctrl.abort(new Error(`timed out after ${timeoutMs} ms`));
      resolve(TIMED_OUT);
    }, timeoutMs);
  });
  const aborted = new Promise<typeof ABORTED>((resolve) => {
    onAbort = () => {
      ctrl.abort(outer.reason);
      resolve(ABORTED);
    };
    if (outer.aborted) onAbort();
    else outer.addEventListener("abort", onAbort, { once: true });
  });
  try {
    const result = await Promise.race([
      Promise.resolve().then(() => rotator.rotate(leak, ctrl.signal)),
      timedOut,
      aborted,
    ]);
    if (result === TIMED_OUT) return failed(`${name} timed out after ${timeoutMs} ms`);
    if (result === ABORTED) return failed(`${name} was stopped before it finished`);
    const checked = checkOutcome(result);
    if (!checked.ok) return failed(`${name} returned an invalid outcome: ${checked.reason}`);
    const { status, detail, url } = checked.outcome;
    const record: RotationRecord = { rotator: name, status, detail: safeDetail(detail, keep) };
    // A URL carrying something secret-shaped (a key in a query string) is dropped, not shown.
    if (url && redactSecretShapes(url, { keep }) === url) record.url = url;
    return record;
  } catch (err) {
    return failed(`${name} threw: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    clearTimeout(timer);
    if (onAbort) outer.removeEventListener("abort", onAbort);
  }
}
