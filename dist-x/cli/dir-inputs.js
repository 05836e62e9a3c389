// What `dir` was given: several PATHs, and `-` for standard input (one document). Each is scanned
// on its own; with several, occurrence paths are prefixed with the PATH as given so they stay apart.
import { stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { detect, mayContainKeypair } from "../detect/index.js";
import { isBinary } from "../sources/content.js";
import { scanDirectory } from "../sources/dir.js";
import { CliError } from "./io.js";
/** How a document read from standard input is named in reports. */
export const STDIN_PATH = "<stdin>";
/** Checks every PATH before anything is scanned: one wording for a missing one. */
export async function resolveInputs(cwd, args) {
    if (args.filter((a) => a === "-").length > 1)
        throw new CliError('"-" (standard input) may be given once');
    const inputs = [];
    for (const arg of args) {
        if (arg === "-") {
            inputs.push({ arg, abs: null, isDir: false });
            continue;
        }
        const abs = resolve(cwd, arg);
        let s;
        try {
            s = await stat(abs);
        }
        catch {
            throw new CliError(`no such file or directory: ${arg}`);
        }
        if (!s.isDirectory() && !s.isFile())
            throw new CliError(`not a file or directory: ${arg}`);
        inputs.push({ arg, abs, isDir: s.isDirectory() });
    }
    return inputs;
}
async function readAll(stream, limit) {
    const chunks = [];
    let size = 0;
    for await (const chunk of stream) {
        const buf = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk);
        size += buf.length;
        // Past the limit keep draining (the writer must not get EPIPE) but hold nothing.
        if (size <= limit)
            chunks.push(buf);
    }
    return size > limit ? null : Buffer.concat(chunks);
}
function emptyStats() {
    return { filesScanned: 0, bytesScanned: 0, skippedLarge: 0, skippedBinary: 0, skippedIgnored: 0, unreadable: 0 };
}
export async function scanStdin(stdin, maxFileSize) {
    const stats = emptyStats();
    const buf = await readAll(stdin, maxFileSize);
    if (buf === null)
        return { candidates: [], websiteIds: [], stats: { ...stats, skippedLarge: 1 } };
    if (isBinary(buf))
        return { candidates: [], websiteIds: [], stats: { ...stats, skippedBinary: 1 } };
    const text = buf.toString("utf8");
    stats.filesScanned = 1;
    stats.bytesScanned = buf.length;
    if (!mayContainKeypair(text, STDIN_PATH))
        return { candidates: [], websiteIds: [], stats };
    const result = detect(text, { path: STDIN_PATH });
    return { candidates: [...result.candidates], websiteIds: [...result.websiteIds], stats };
}
function prefixed(candidates, prefix) {
    const base = prefix.replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/\/+$/, "");
    if (base === "" || base === ".")
        return [...candidates];
    return candidates.map((c) => ({ ...c, occurrence: { ...c.occurrence, path: `${base}/${c.occurrence.path}` } }));
}
/** Scans every input and adds the results up. */
export async function scanInputs(inputs, stdin, options) {
    const stats = emptyStats();
    const candidates = [];
    const websiteIds = new Set();
    const several = inputs.length > 1;
    for (const input of inputs) {
        const result = input.abs === null ? await scanStdin(stdin, options.maxFileSize) : await scanDirectory(input.abs, options);
        const prefix = input.abs === null || !several ? "" : input.isDir ? input.arg : dirname(input.arg);
        candidates.push(...prefixed(result.candidates, prefix));
        for (const id of result.websiteIds)
            websiteIds.add(id);
        for (const key of Object.keys(stats))
            stats[key] += result.stats[key] ?? 0;
    }
    return { candidates, websiteIds: [...websiteIds], stats };
}
//# sourceMappingURL=dir-inputs.js.map