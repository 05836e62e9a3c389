import { describe, expect, it, vi } from "vitest";
import { createProgress } from "../../src/cli/progress.js";

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, s: { isTTY, columns: 200, write: (c: string) => writes.push(c) } as unknown as NodeJS.WriteStream };
}

describe("progress", () => {
  it("draws nothing when stderr is not a terminal", () => {
    const { writes, s } = stream(false);
    const p = createProgress(s);
    p.update({ done: 1, total: 2, bytesDone: 10, bytesTotal: 20, unit: "blobs" });
    p.done();
    expect(writes).toEqual([]);
  });

  it("draws done/total, bytes, throughput and time left on a terminal, then clears the line", () => {
    vi.useFakeTimers();
    try {
      vi.setSystemTime(0);
      const { writes, s } = stream(true);
      const p = createProgress(s);
      // A clone took 5 s: it must not count in the reading rate.
      vi.setSystemTime(5_000);
      p.update({ done: 0, total: 10, bytesDone: 0, bytesTotal: 2 * 1024 * 1024, unit: "blobs" });
      vi.setSystemTime(7_000);
      p.update({ done: 5, total: 10, bytesDone: 1024 * 1024, bytesTotal: 2 * 1024 * 1024, unit: "blobs" });
      expect(writes).toHaveLength(2);
      writes.shift();
      expect(writes[0]).toContain("50%");
      expect(writes[0]).toContain("5/10 blobs");
      expect(writes[0]).toContain("1.0 MiB/2.0 MiB");
      expect(writes[0]).toContain("512.0 KiB/s");
      expect(writes[0]).toContain("2 s left");
      p.update({ done: 6, total: 10, bytesDone: 1, unit: "blobs" }); // throttled: too soon
      expect(writes).toHaveLength(1);
      p.done();
      expect(writes[1]).toBe("\r\x1b[K");
    } finally {
      vi.useRealTimers();
    }
  });

  it("shows a phase's text at once, and a bar from counts when the byte total is not known", () => {
    vi.useFakeTimers();
    try {
      vi.setSystemTime(0);
      const { writes, s } = stream(true);
      const p = createProgress(s);
      p.status("cloning: Receiving objects 40%");
      expect(writes).toEqual(["\rcloning: Receiving objects 40%\x1b[K"]);
      vi.setSystemTime(1_000);
      p.update({ done: 0, total: 100, bytesDone: 0, unit: "blobs" });
      vi.setSystemTime(2_000);
      p.update({ done: 25, total: 100, bytesDone: 4096, unit: "blobs" });
      expect(writes.at(-1)).toContain("25%");
      expect(writes.at(-1)).toContain("25/100 blobs");
      expect(writes.at(-1)).toContain("3 s left");
      p.done();
      expect(writes.at(-1)).toBe("\r\x1b[K");
    } finally {
      vi.useRealTimers();
    }
  });
});
