// Temporary directories made by tests and their helpers, removed after each test file
// (test/setup.ts), so a run leaves nothing behind in the system's temp folder. Each call makes a new
// directory, so a test that asks for one in beforeEach still starts empty; removal waits for the
// file's end because fixtures made once in beforeAll live across its tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made: string[] = [];

/** A fresh directory under the system's temp folder, removed when the test file ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every directory tempDir made; one that cannot be removed does not keep the rest. */
export function removeTempDirs(): void {
  const failed: unknown[] = [];
  for (const dir of made.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      failed.push(error);
    }
  }
  if (failed.length > 0) throw new AggregateError(failed, `could not remove ${failed.length} temporary folder(s)`);
}
