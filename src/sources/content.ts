// What every source decides the same way about a file or blob before the detector sees it.

/** Issues #2 and #4: files and blobs over 25 MB are skipped by default (and counted). */
export const DEFAULT_MAX_FILE_SIZE = 25 * 1024 * 1024;

/** Git's own heuristic (buffer_is_binary): a NUL byte in the first 8000 bytes makes content binary. */
const BINARY_SNIFF_BYTES = 8000;

export function isBinary(buf: Uint8Array): boolean {
  const end = Math.min(buf.length, BINARY_SNIFF_BYTES);
  for (let i = 0; i < end; i++) if (buf[i] === 0) return true;
  return false;
}
