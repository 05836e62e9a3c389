import { spawn } from "node:child_process";
import { buildLeakEvent } from "./event.js";
import { checkOutcome } from "./outcome.js";
import { publicValues, safeDetail } from "./redact-text.js";
// The command rotator: runs the operator's executable (no shell) with the leak event on stdin and
// reads a RotationOutcome JSON from its stdout. What it prints may echo the keypair, so anything of
// it that reaches a record is redacted and cut short.
/** An outcome is a few hundred bytes; more than this is a script printing something else. */
export const MAX_OUTPUT_BYTES = 64 * 1024;
/** After SIGTERM to the command's process group on a timeout, how long before SIGKILL. */
export const KILL_GRACE_MS = 1_000;
/**
 * After the command exits, how long to wait for the rest of its output. A background child it left
 * (`( sleep 300 ) &`) inherits the pipes and would hold them open for as long as it lives; what the
 * command itself wrote is in the pipe by the time it exits, so a short wait reads all of it.
 */
export const OUTPUT_DRAIN_MS = 250;
/** How much of stdout or stderr a failure detail quotes (after redaction). */
export const QUOTE_CHARS = 160;
/** The longest a command run can take: its timeout, the kill grace and the drain, plus slack for process start. */
export function commandCeilingMs(settings) {
    return settings.timeoutMs + KILL_GRACE_MS + OUTPUT_DRAIN_MS + 1_000;
}
export function commandRotator(settings, deps = {}) {
    return {
        name: "command",
        ceilingMs: commandCeilingMs(settings),
        async rotate(leak, signal) {
            const event = buildLeakEvent(leak, { includeKeypair: settings.includeKeypair, githubUrl: deps.githubUrl });
            const run = await runCommand(settings, JSON.stringify(event) + "\n", signal);
            return toOutcome(run, leak);
        },
    };
}
/** Process groups of commands still running, killed if this process exits first (an error, process.exit). */
const runningGroups = new Set();
let exitHookInstalled = false;
/**
 * In its own group a command no longer gets the terminal's Ctrl-C; while a command runs, this process
 * passes on the signals that stop it (with SIGTERM: a shell's background jobs ignore SIGINT), gives
 * the commands the kill grace, kills what is left, then stops as the signal says.
 */
const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
function forwardSignal(sig) {
    removeSignalHooks();
    const groups = [...runningGroups];
    for (const group of groups) {
        signalGroup(group, sig);
        signalGroup(group, "SIGTERM");
    }
    // Another listener (the app under Probot) owns the shutdown; the exit hook kills what is left.
    if (process.listenerCount(sig) > 0)
        return;
    setTimeout(() => {
        for (const group of groups)
            signalGroup(group, "SIGKILL");
        process.kill(process.pid, sig);
    }, KILL_GRACE_MS);
}
function installSignalHooks() {
    for (const sig of FORWARDED_SIGNALS)
        process.on(sig, forwardSignal);
}
function removeSignalHooks() {
    for (const sig of FORWARDED_SIGNALS)
        process.off(sig, forwardSignal);
}
function trackGroup(pid) {
    if (runningGroups.size === 0)
        installSignalHooks();
    runningGroups.add(pid);
    if (exitHookInstalled)
        return;
    exitHookInstalled = true;
    process.once("exit", () => {
        for (const group of runningGroups)
            signalGroup(group, "SIGKILL");
    });
}
function untrackGroup(pid) {
    if (runningGroups.delete(pid) && runningGroups.size === 0)
        removeSignalHooks();
}
/** Signals the whole process group (the command and whatever it started); gone already is fine. */
function signalGroup(pid, sig) {
    try {
        process.kill(-pid, sig);
    }
    catch {
        // ESRCH: the group has already exited.
    }
}
function runCommand(settings, input, signal) {
    return new Promise((resolve) => {
        let problem = null;
        const out = [];
        const err = [];
        let outBytes = 0;
        let errBytes = 0;
        // Its own process group, so a timeout kills what the command started too, not only the command:
        // a shell script's `sleep` or a helper it forked would otherwise outlive it and hold the pipes.
        const child = spawn(settings.path, settings.args, {
            shell: false,
            env: settings.env,
            stdio: ["pipe", "pipe", "pipe"],
            detached: true,
            windowsHide: true,
        });
        const pid = child.pid;
        if (pid !== undefined)
            trackGroup(pid);
        let exited = false;
        let killTimer;
        let drainTimer;
        const stop = (why) => {
            if (problem === null)
                problem = why;
            if (pid === undefined)
                return;
            signalGroup(pid, "SIGTERM");
            killTimer ??= setTimeout(() => {
                signalGroup(pid, "SIGKILL");
                // The leader may have exited on SIGTERM while a child ignoring it keeps the pipes: done anyway.
                finish(null, "SIGKILL");
            }, KILL_GRACE_MS);
        };
        const timer = setTimeout(() => stop(`timed out after ${settings.timeoutMs} ms`), settings.timeoutMs);
        const onAbort = () => stop("aborted");
        signal.addEventListener("abort", onAbort, { once: true });
        if (signal.aborted)
            onAbort();
        child.stdout.on("data", (chunk) => {
            outBytes += chunk.length;
            if (outBytes > MAX_OUTPUT_BYTES)
                return stop(`printed more than ${MAX_OUTPUT_BYTES} bytes`);
            out.push(chunk);
        });
        child.stderr.on("data", (chunk) => {
            errBytes += chunk.length;
            if (errBytes <= MAX_OUTPUT_BYTES)
                err.push(chunk);
        });
        // A command that never reads stdin closes the pipe: EPIPE is its choice, not a failure.
        child.stdin.on("error", () => undefined);
        child.stdout.on("error", () => undefined);
        child.stderr.on("error", () => undefined);
        child.stdin.end(input);
        let settled = false;
        const finish = (code, sig) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            clearTimeout(killTimer);
            clearTimeout(drainTimer);
            signal.removeEventListener("abort", onAbort);
            if (pid !== undefined) {
                // Killed or timed out: nothing of the group may live on. After a clean exit, what the command
                // left running is its own business, but this process neither waits for it nor reads from it.
                if (problem !== null)
                    signalGroup(pid, "SIGKILL");
                untrackGroup(pid);
            }
            child.stdin.destroy();
            child.stdout.destroy();
            child.stderr.destroy();
            child.unref();
            const stdout = Buffer.concat(out).toString("utf8");
            resolve({ code, signal: sig, stdout, stderr: Buffer.concat(err).toString("utf8"), problem });
        };
        child.on("error", (e) => {
            problem ??= `could not start (${e.code ?? e.name})`;
            // A process that never started emits no reliable "close".
            if (child.pid === undefined)
                finish(null, null);
        });
        // "exit", not "close": close waits for every holder of the pipes, including children the
        // command left behind. Read what is left for a moment, then stop listening.
        child.on("exit", (code, sig) => {
            exited = true;
            drainTimer = setTimeout(() => finish(code, sig), OUTPUT_DRAIN_MS);
        });
        child.on("close", (code, sig) => {
            if (exited)
                finish(code, sig);
        });
    });
}
function toOutcome(run, leak) {
    const keep = publicValues(leak);
    const quote = (text) => safeDetail(text, keep, QUOTE_CHARS);
    if (run.problem)
        return { status: "failed", detail: `command ${run.problem}` };
    if (run.code !== 0) {
        const how = run.signal ? `was killed by ${run.signal}` : `exited with code ${run.code}`;
        const said = run.stderr.trim() ? `: ${quote(lastLines(run.stderr))}` : "";
        return { status: "failed", detail: `command ${how}${said}` };
    }
    const parsed = parseOutcomeText(run.stdout);
    if (!parsed.ok) {
        const said = run.stdout.trim() ? ` (stdout: ${quote(run.stdout)})` : "";
        return { status: "failed", detail: `command printed no valid outcome: ${parsed.reason}${said}` };
    }
    return parsed.outcome;
}
/** The whole of stdout as JSON, or else its last non-empty line (scripts often log before it). */
function parseOutcomeText(stdout) {
    const text = stdout.trim();
    if (!text)
        return { ok: false, reason: "stdout was empty" };
    const lines = text.split("\n");
    for (const candidate of [text, lines[lines.length - 1].trim()]) {
        try {
            return checkOutcome(JSON.parse(candidate));
        }
        catch {
            // not JSON: try the next candidate
        }
    }
    return { ok: false, reason: "stdout is not JSON" };
}
function lastLines(text) {
    return text.trim().split("\n").slice(-3).join(" ");
}
//# sourceMappingURL=command.js.map