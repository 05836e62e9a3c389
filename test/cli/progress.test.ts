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
      vi.setSystemTime(2_000);
      p.update({ done: 5, total: 10, bytesDone: 1024 * 1024, bytesTotal: 2 * 1024 * 1024, unit: "blobs" });
      expect(writes).toHaveLength(1);
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
});
