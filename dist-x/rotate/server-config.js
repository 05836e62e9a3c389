import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { isLoopbackHost } from "../loopback.js";
import { LineCounter, parseDocument } from "yaml";
export class ServerConfigError extends Error {
    name = "ServerConfigError";
}
export const ROTATE_WHEN = ["live", "live-or-unknown", "never"];
/** Rotators the server config can enable; `noop` needs no settings and is always available. */
export const CONFIGURABLE_ROTATORS = ["github-issue", "webhook", "command", "module"];
export const KNOWN_ROTATORS = [...CONFIGURABLE_ROTATORS, "noop"];
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
export const COMMAND_INHERITED_ENV = ["PATH", "HOME", "LANG", "TMPDIR", "SystemRoot"];
/** Reads and parses the server config file; `${NAME}` comes from `env`. Throws ServerConfigError. */
export async function loadServerConfig(path, env) {
    let text;
    try {
        text = await readFile(path, "utf8");
    }
    catch (err) {
        const code = err.code ?? "read error";
        throw new ServerConfigError(`server config ${path}: cannot read it (${code})`);
    }
    return parseServerConfig(text, env, { baseDir: dirname(resolve(path)) });
}
export function parseServerConfig(yamlText, env, options = {}) {
    const lines = new LineCounter();
    // No pretty errors: they quote the source around the error, and the source may hold a secret.
    const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
    const first = doc.errors[0];
    if (first) {
        const what = first.message.split("\n")[0];
        throw new ServerConfigError(`server config: invalid YAML at line ${lines.linePos(first.pos[0]).line}: ${what}`);
    }
    const raw = doc.toJS();
    // An empty file: nothing enabled, nothing rotated.
    const root = raw === null || raw === undefined ? {} : substituteEnv(raw, env, "");
    const top = object(root, "", ["rotators", "defaults"]);
    const rotators = parseRotators(top.rotators, env, options.baseDir);
    const defaults = parseDefaults(top.defaults, rotators);
    return { rotators, defaults: { rotate: defaults } };
}
/** Names a repository may choose under this config (the enabled ones, and noop). */
export function enabledRotators(config) {
    const names = CONFIGURABLE_ROTATORS.filter((n) => config.rotators[n] !== undefined);
    return [...names, "noop"];
}
// ---- sections --------------------------------------------------------------------------------
function parseRotators(value, env, baseDir) {
    if (value === undefined || value === null)
        return {};
    const section = object(value, "rotators", KNOWN_ROTATORS);
    const out = {};
    for (const [name, settings] of Object.entries(section)) {
        const at = `rotators.${name}`;
        // `github-issue:` with nothing after it means "enabled, defaults".
        const s = settings ?? {};
        switch (name) {
            case "github-issue":
                out["github-issue"] = parseGithubIssue(s, at);
                break;
            case "webhook":
                out.webhook = parseWebhook(s, at);
                break;
            case "command":
                out.command = parseCommand(s, at, env, baseDir);
                break;
            case "module":
                out.module = parseModule(s, at, baseDir);
                break;
            case "noop":
                object(s, at, []);
                break;
        }
    }
    return out;
}
function parseGithubIssue(value, at) {
    const o = object(value, at, ["repository", "labels", "assignees"]);
    let repository = null;
    if (o.repository !== undefined && o.repository !== null) {
        const full = string(o.repository, `${at}.repository`);
        const m = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(full);
        if (!m)
            throw new ServerConfigError(`server config: ${at}.repository: must be "owner/repo"`);
        repository = { owner: m[1], repo: m[2] };
    }
    const labels = stringList(o.labels, `${at}.labels`);
    const assignees = stringList(o.assignees, `${at}.assignees`);
    for (const login of assignees) {
        if (!GITHUB_LOGIN.test(login)) {
            throw new ServerConfigError(`server config: ${at}.assignees: "${login}" is not a GitHub login`);
        }
    }
    return { repository, labels, assignees };
}
/** GitHub logins: alphanumerics and single hyphens, at most 39 characters. */
export const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
function parseWebhook(value, at) {
    const o = object(value, at, ["url", "secret", "includeKeypair", "timeoutMs", "retries"]);
    const url = safeUrl(o.url, `${at}.url`);
    const secret = string(o.secret, `${at}.secret`);
    return {
        url,
        secret,
        includeKeypair: boolean(o.includeKeypair, `${at}.includeKeypair`, false),
        timeoutMs: timeout(o.timeoutMs, `${at}.timeoutMs`, DEFAULT_WEBHOOK_TIMEOUT_MS),
        retries: integer(o.retries, `${at}.retries`, DEFAULT_WEBHOOK_RETRIES, 0, MAX_WEBHOOK_RETRIES),
    };
}
function parseCommand(value, at, env, baseDir) {
    const o = object(value, at, ["path", "args", "timeoutMs", "includeKeypair", "env"]);
    const path = string(o.path, `${at}.path`);
    // A bare name is looked up on PATH; anything with a slash is a path, relative to the config file.
    const resolved = path.includes("/") && !isAbsolute(path) && baseDir ? resolve(baseDir, path) : path;
    const commandEnv = {};
    for (const name of COMMAND_INHERITED_ENV) {
        const v = env[name];
        if (v !== undefined)
            commandEnv[name] = v;
    }
    if (o.env !== undefined && o.env !== null) {
        for (const [name, v] of Object.entries(object(o.env, `${at}.env`, null))) {
            if (!ENV_NAME.test(name))
                throw new ServerConfigError(`server config: ${at}.env: "${name}" is not a variable name`);
            commandEnv[name] = scalarString(v, `${at}.env.${name}`);
        }
    }
    return {
        path: resolved,
        args: stringList(o.args, `${at}.args`, true),
        timeoutMs: timeout(o.timeoutMs, `${at}.timeoutMs`, DEFAULT_COMMAND_TIMEOUT_MS),
        includeKeypair: boolean(o.includeKeypair, `${at}.includeKeypair`, false),
        env: commandEnv,
    };
}
function parseModule(value, at, baseDir) {
    const o = object(value, at, ["path", "settings"]);
    const path = string(o.path, `${at}.path`);
    const settings = o.settings === undefined || o.settings === null ? {} : object(o.settings, `${at}.settings`, null);
    return { path: baseDir && !isAbsolute(path) ? resolve(baseDir, path) : path, settings };
}
function parseDefaults(value, rotators) {
    const d = { when: "live", rotators: [] };
    if (value === undefined || value === null)
        return d;
    const o = object(value, "defaults", ["rotate"]);
    if (o.rotate === undefined || o.rotate === null)
        return d;
    const r = object(o.rotate, "defaults.rotate", ["when", "rotators"]);
    if (r.when !== undefined)
        d.when = rotateWhen(r.when, "defaults.rotate.when");
    d.rotators = stringList(r.rotators, "defaults.rotate.rotators");
    const enabled = enabledRotators({ rotators });
    for (const name of d.rotators) {
        if (!enabled.includes(name)) {
            throw new ServerConfigError(`server config: defaults.rotate.rotators: "${name}" is not enabled under rotators (enabled: ${enabled.join(", ")})`);
        }
    }
    return d;
}
export function rotateWhen(value, at) {
    if (typeof value === "string" && ROTATE_WHEN.includes(value))
        return value;
    throw new ServerConfigError(`server config: ${at}: must be one of ${ROTATE_WHEN.join(", ")}`);
}
// ---- ${NAME} substitution -----------------------------------------------------------------------
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// `$${NAME}` stays a literal `${NAME}`; `${NAME}` is replaced.
const ENV_REF = /\$\$\{|\$\{([^}]*)\}/g;
/** Substitutes in string values only (after parsing, so a value cannot change the YAML's structure). */
function substituteEnv(value, env, at) {
    if (typeof value === "string") {
        return value.replace(ENV_REF, (match, name) => {
            if (name === undefined)
                return "${";
            if (!ENV_NAME.test(name)) {
                throw new ServerConfigError(`server config: ${at || "(top)"}: "\${${name}}" is not a valid variable reference`);
            }
            const v = env[name];
            if (v === undefined) {
                throw new ServerConfigError(`server config: ${at}: environment variable ${name} is not set`);
            }
            return v;
        });
    }
    if (Array.isArray(value))
        return value.map((v, i) => substituteEnv(v, env, `${at}[${i}]`));
    if (value !== null && typeof value === "object") {
        const out = {};
        for (const [k, v] of Object.entries(value))
            out[k] = substituteEnv(v, env, at ? `${at}.${k}` : k);
        return out;
    }
    return value;
}
// ---- field checks ------------------------------------------------------------------------------
function object(value, at, allowed) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new ServerConfigError(`server config: ${at || "top level"}: must be a mapping`);
    }
    const o = value;
    if (allowed) {
        for (const key of Object.keys(o)) {
            if (!allowed.includes(key)) {
                const where = at ? `${at}.${key}` : key;
                const hint = allowed.length ? ` (expected one of ${allowed.join(", ")})` : "";
                throw new ServerConfigError(`server config: ${where}: unknown setting${hint}`);
            }
        }
    }
    return o;
}
function string(value, at) {
    if (typeof value !== "string" || value.trim() === "") {
        throw new ServerConfigError(`server config: ${at}: required, a non-empty string`);
    }
    return value;
}
/** Env values: numbers and booleans are written unquoted in YAML, and mean their text. */
function scalarString(value, at) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
        return String(value);
    throw new ServerConfigError(`server config: ${at}: must be a string`);
}
function stringList(value, at, allowEmptyStrings = false) {
    if (value === undefined || value === null)
        return [];
    if (!Array.isArray(value))
        throw new ServerConfigError(`server config: ${at}: must be a list of strings`);
    return value.map((v, i) => {
        if (typeof v === "number")
            return String(v);
        if (typeof v !== "string" || (!allowEmptyStrings && v.trim() === "")) {
            throw new ServerConfigError(`server config: ${at}[${i}]: must be a string`);
        }
        return v;
    });
}
function boolean(value, at, fallback) {
    if (value === undefined || value === null)
        return fallback;
    if (typeof value === "boolean")
        return value;
    // "${INCLUDE}" substitutes to text.
    if (value === "true")
        return true;
    if (value === "false")
        return false;
    throw new ServerConfigError(`server config: ${at}: must be true or false`);
}
function integer(value, at, fallback, min, max) {
    if (value === undefined || value === null)
        return fallback;
    const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
        throw new ServerConfigError(`server config: ${at}: must be a whole number from ${min} to ${max}`);
    }
    return n;
}
function timeout(value, at, fallback) {
    return integer(value, at, fallback, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
}
/** DESIGN.md: https, or http on a loopback address only. No credentials in the URL: use `secret`. */
function safeUrl(value, at) {
    const text = string(value, at);
    let url;
    try {
        url = new URL(text);
    }
    catch {
        throw new ServerConfigError(`server config: ${at}: not a valid URL`);
    }
    if (url.username || url.password) {
        throw new ServerConfigError(`server config: ${at}: must not hold credentials (the body is signed with secret)`);
    }
    if (url.protocol === "https:")
        return url.href;
    if (url.protocol === "http:" && isLoopbackHost(url.hostname))
        return url.href;
    throw new ServerConfigError(`server config: ${at}: must be https, or http on a loopback address (127.0.0.1, ::1, localhost)`);
}
//# sourceMappingURL=server-config.js.map