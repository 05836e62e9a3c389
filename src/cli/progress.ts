// A one-line progress display on stderr, drawn only when stderr is a TTY (DESIGN.md), throttled.
import { plural } from "../report/plural.js";
import { formatBytes } from "../report/text.js";

/** Redraws at most this often: more is flicker and wasted writes. */
const REDRAW_INTERVAL_MS = 100;

export interface ProgressState {
  done: number;
  total?: number;
  bytesDone: number;
  bytesTotal?: number;
  unit: string;
}

export interface Progress {
  /** False when nothing is drawn: callers skip work done only for the display (totals). */
  readonly active: boolean;
  update(state: ProgressState): void;
  done(): void;
}

const SILENT: Progress = { active: false, update() {}, done() {} };

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return SILENT;
  const started = Date.now();
  let last = 0;
  let drawn = false;
  return {
    active: true,
    update(s) {
      const now = Date.now();
      if (now - last < REDRAW_INTERVAL_MS) return;
      last = now;
      const seconds = Math.max((now - started) / 1000, 0.001);
      const rate = s.bytesDone / seconds;
      const parts: string[] = [];
      if (s.bytesTotal && s.bytesTotal > 0) {
        const frac = Math.min(s.bytesDone / s.bytesTotal, 1);
        const width = 24;
        const fill = Math.round(frac * width);
        parts.push(`[${"#".repeat(fill)}${"-".repeat(width - fill)}] ${(frac * 100).toFixed(0)}%`);
      }
      // unit is the plural noun ("files"); "1/2 files" reads right, "1 files" does not.
      parts.push(s.total !== undefined ? `${s.done}/${s.total} ${s.unit}` : plural(s.done, s.unit.replace(/s$/, ""), s.unit));
      parts.push(s.bytesTotal ? `${formatBytes(s.bytesDone)}/${formatBytes(s.bytesTotal)}` : formatBytes(s.bytesDone));
      parts.push(`${formatBytes(rate)}/s`);
      if (s.bytesTotal && rate > 0 && s.bytesDone < s.bytesTotal) {
        parts.push(`${Math.ceil((s.bytesTotal - s.bytesDone) / rate)} s left`);
      }
      const line = parts.join("  ");
      stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1)}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write("\r\x1b[K");
    },
  };
}
