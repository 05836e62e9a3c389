// A push's blobs: what one blob response holds (text to scan, or why it cannot be scanned), and the
// per-push cache that reads each blob once. No I/O: push.ts makes the request, this decides.
import { isBinary } from "./content.js";

/** A blob as the scan sees it: its text, or why it is not scanned. */
export type Blob =
  | { kind: "text"; text: string }
  | { kind: "binary" }
  | { kind: "large"; size: number }
  | { kind: "missing"; reason: string };

/** Reads a blob by its sha. */
export type BlobReader = (sha: string) => Promise<Blob>;

/** A blob response: raw (text or bytes), or the JSON form `{ content, encoding }`; null if neither. */
export function blobBytes(data: unknown): Buffer | null {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const d = data as { content?: unknown; encoding?: string } | null;
  if (d && typeof d.content === "string") return Buffer.from(d.content, d.encoding === "base64" ? "base64" : "utf8");
  return null;
}

/** What a blob response of `sha` holds, with files above maxFileSize bytes left unread. */
export function blobFromResponse(sha: string, data: unknown, maxFileSize: number): Blob {
  // The JSON form (the raw one was not honoured) declares the size: no need to decode a large one.
  const declared = (data as { size?: unknown } | null)?.size;
  if (typeof declared === "number" && declared > maxFileSize) return { kind: "large", size: declared };
  const bytes = blobBytes(data);
  if (bytes === null) return { kind: "missing", reason: `blob ${sha} came back in a form that could not be read` };
  if (bytes.length > maxFileSize) return { kind: "large", size: bytes.length };
  if (isBinary(bytes)) return { kind: "binary" };
  return { kind: "text", text: bytes.toString("utf8") };
}

/** A blob GitHub answered "not there" for (the status says how). */
export function missingBlob(sha: string, status: number | undefined): Blob {
  return { kind: "missing", reason: `blob ${sha} could not be read (${status})` };
}

/**
 * One blob is fetched once per push, however many commits touch it: later reads of a sha share the
 * first one's request, its failure included.
 */
export function blobCache(fetch: BlobReader): BlobReader {
  const blobs = new Map<string, Promise<Blob>>();
  return (sha) => {
    let blob = blobs.get(sha);
    if (!blob) {
      blob = fetch(sha);
      blobs.set(sha, blob);
    }
    return blob;
  };
}
