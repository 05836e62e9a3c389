import { describe, expect, it } from "vitest";
import { type Blob, blobCache, blobFromResponse, missingBlob } from "../../src/sources/push-blobs.js";
import { eachUntilFailure } from "../../src/sources/push.js";

const SHA = "b".repeat(40);

describe("blobFromResponse", () => {
  it("reads the raw body (text or bytes) and the JSON form", () => {
    expect(blobFromResponse(SHA, "plain text", 100)).toEqual({ kind: "text", text: "plain text" });
    expect(blobFromResponse(SHA, new Uint8Array(Buffer.from("bytes")).buffer, 100)).toEqual({ kind: "text", text: "bytes" });
    expect(blobFromResponse(SHA, Buffer.from("a view"), 100)).toEqual({ kind: "text", text: "a view" });
    const b64 = Buffer.from("json form").toString("base64");
    expect(blobFromResponse(SHA, { sha: SHA, size: 9, encoding: "base64", content: b64 }, 100)).toEqual({ kind: "text", text: "json form" });
  });

  it("a declared size above the cap is large without decoding; a body above it is large too", () => {
    // No content at all: had it been decoded, this would be a blob that could not be read.
    expect(blobFromResponse(SHA, { sha: SHA, size: 101, encoding: "base64" }, 100)).toEqual({ kind: "large", size: 101 });
    expect(blobFromResponse(SHA, "x".repeat(101), 100)).toEqual({ kind: "large", size: 101 });
    expect(blobFromResponse(SHA, "x".repeat(100), 100)).toMatchObject({ kind: "text" });
  });

  it("bytes that look binary are binary; a body in no known form is missing, with a reason naming the blob", () => {
    expect(blobFromResponse(SHA, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a]), 100)).toEqual({ kind: "binary" });
    expect(blobFromResponse(SHA, { sha: SHA }, 100)).toEqual({ kind: "missing", reason: `blob ${SHA} came back in a form that could not be read` });
    expect(blobFromResponse(SHA, null, 100)).toMatchObject({ kind: "missing" });
    expect(missingBlob(SHA, 404)).toEqual({ kind: "missing", reason: `blob ${SHA} could not be read (404)` });
  });
});

describe("blobCache", () => {
  it("fetches each sha once, for readers in flight together and later ones, a failure included", async () => {
    const fetched: string[] = [];
    const read = blobCache(async (sha): Promise<Blob> => {
      fetched.push(sha);
      if (sha === "bad") throw new Error("500");
      return { kind: "text", text: sha };
    });
    const [a, b] = await Promise.all([read("one"), read("one")]);
    expect(a).toBe(b);
    await read("one");
    await read("two");
    await expect(read("bad")).rejects.toThrow("500");
    await expect(read("bad")).rejects.toThrow("500");
    expect(fetched).toEqual(["one", "two", "bad"]);
  });
});

describe("eachUntilFailure", () => {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

  it("gives the results in the items' order, whatever order they finish in", async () => {
    const out = await eachUntilFailure([30, 1, 15, 5], 4, async (ms) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return ms * 2;
    });
    expect(out).toEqual([60, 2, 30, 10]);
  });

  it("starts nothing after a failure, and rejects with it once the tasks in flight have settled", async () => {
    const started: number[] = [];
    const settled: number[] = [];
    const run = eachUntilFailure([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      await tick();
      if (n === 2) throw new Error("server error on 2");
      await tick();
      settled.push(n);
      return n;
    });
    await expect(run).rejects.toThrow("server error on 2");
    // 1 and 2 in flight when 2 fails: nothing after them starts, and 1 has finished by then.
    expect(started).toEqual([1, 2]);
    expect(settled).toEqual([1]);
  });
});
