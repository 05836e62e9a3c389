// A one-line progress display on stderr, drawn only when stderr is a TTY (DESIGN.md), throttled.
import { plural } from "../report/plural.js";
import { formatBytes } from "../report/text.js";
/** Redraws at most this often: more is flicker and wasted writes. */
const REDRAW_INTERVAL_MS = 100;
const BAR_WIDTH = 24;
const SILENT = { active: false, update() { }, status() { }, done() { } };
export function createProgress(stream = process.stderr) {
    if (!stream.isTTY)
        return SILENT;
    let origin = null;
    let last = -Infinity;
    let drawn = false;
    let lastStatus = "";
    const draw = (line) => {
        stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1)}\x1b[K`);
        drawn = true;
    };
    return {
        active: true,
        update(s) {
            const now = Date.now();
            if (origin === null)
                origin = { at: now, bytes: s.bytesDone, done: s.done };
            if (now - last < REDRAW_INTERVAL_MS)
                return;
            last = now;
            const seconds = (now - origin.at) / 1000;
            const rate = seconds > 0 ? (s.bytesDone - origin.bytes) / seconds : 0;
            const itemRate = seconds > 0 ? (s.done - origin.done) / seconds : 0;
            const parts = s.label ? [s.label] : [];
            const byBytes = s.bytesTotal !== undefined && s.bytesTotal > 0;
            const frac = byBytes ? s.bytesDone / s.bytesTotal : s.total ? s.done / s.total : null;
            if (frac !== null) {
                const fill = Math.round(Math.min(frac, 1) * BAR_WIDTH);
                parts.push(`[${"#".repeat(fill)}${"-".repeat(BAR_WIDTH - fill)}] ${(Math.min(frac, 1) * 100).toFixed(0)}%`);
            }
            // unit is the plural noun ("files"); "1/2 files" reads right, "1 files" does not.
            parts.push(s.total ? `${s.done}/${s.total} ${s.unit}` : plural(s.done, s.unit.replace(/s$/, ""), s.unit));
            parts.push(byBytes ? `${formatBytes(s.bytesDone)}/${formatBytes(s.bytesTotal)}` : formatBytes(s.bytesDone));
            if (seconds > 0)
                parts.push(`${formatBytes(rate)}/s`);
            const left = byBytes
                ? rate > 0 && s.bytesDone < s.bytesTotal ? (s.bytesTotal - s.bytesDone) / rate : null
                : s.total && itemRate > 0 && s.done < s.total ? (s.total - s.done) / itemRate : null;
            if (left !== null)
                parts.push(`${Math.ceil(left)} s left`);
            draw(parts.join("  "));
        },
        status(text) {
            const now = Date.now();
            if (text === lastStatus && now - last < REDRAW_INTERVAL_MS)
                return;
            lastStatus = text;
            last = now;
            draw(text);
        },
        done() {
            if (drawn)
                stream.write("\r\x1b[K");
            drawn = false;
        },
    };
}
//# sourceMappingURL=progress.js.map