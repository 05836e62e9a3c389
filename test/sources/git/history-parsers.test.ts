import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BatchParser, type BatchHeader } from "../../../src/sources/git/batch.js";
import { LineSplitter } from "../../../src/sources/git/lines.js";
import { gitArgv, gitFailureLine, safeGitEnv, SAFE_GIT_CONFIG } from "../../../src/sources/git/process.js";
import { looksLikeUrl, redactUrl } from "../../../src/sources/git/repository.js";
import { BlobSet } from "../../../src/sources/git/blobs.js";
import { RawLogParser } from "../../../src/sources/git/introducers.js";

const hex = (bytes = 20) => randomBytes(bytes).toString("hex");

/** Feeds `data` to `push` cut at every boundary in `cuts`. */
function feed(data: Buffer, cuts: number[], push: (b: Buffer) => void): void {
  let start = 0;
  for (const cut of [...cuts, data.length]) {
    push(data.subarray(start, cut));
    start = cut;
  }
}

describe("BatchParser", () => {
  const objects = [
    { oid: hex(), type: "blob", content: Buffer.from("hello\nworld\n") },
    { oid: hex(), type: "tree", content: randomBytes(40) },
    { oid: hex(), type: "blob", content: Buffer.alloc(0) },
    { oid: hex(), type: "blob", content: Buffer.from("line without newline") },
    { oid: hex(), type: "blob", content: Buffer.concat([Buffer.from("\n\n"), randomBytes(300)]) },
  ];
  const missing = hex();
  const stream = Buffer.concat([
    ...objects.slice(0, 2).map((o) => Buffer.concat([Buffer.from(`${o.oid} ${o.type} ${o.content.length}\n`), o.content, Buffer.from("\n")])),
    Buffer.from(`${missing} missing\n`),
    ...objects.slice(2).map((o) => Buffer.concat([Buffer.from(`${o.oid} ${o.type} ${o.content.length}\n`), o.content, Buffer.from("\n")])),
  ]);

  function run(cuts: number[]) {
    const got: Array<{ oid: string; content: string }> = [];
    const skipped: string[] = [];
    const gone: string[] = [];
    const parser = new BatchParser({
      wants: (h: BatchHeader) => h.type === "blob",
      onObject: (h, content) => got.push({ oid: h.oid, content: Buffer.from(content).toString("hex") }),
      onSkipped: (h) => skipped.push(h.oid),
      onMissing: (oid) => gone.push(oid),
    });
    feed(stream, cuts, (b) => parser.push(b));
    return { got, skipped, gone, idle: parser.idle };
  }

  it("hands over wanted objects whole, however the stream is cut", () => {
    const want = objects.filter((o) => o.type === "blob").map((o) => ({ oid: o.oid, content: o.content.toString("hex") }));
    for (let cut = 1; cut < stream.length; cut++) {
      const r = run([cut]);
      expect(r.got, `cut at ${cut}`).toEqual(want);
      expect(r.skipped).toEqual([objects[1]!.oid]);
      expect(r.gone).toEqual([missing]);
      expect(r.idle).toBe(true);
    }
    // Byte by byte.
    const every = run(Array.from({ length: stream.length - 1 }, (_, i) => i + 1));
    expect(every.got).toEqual(want);
  });

  it("knows when the stream stopped inside an object", () => {
    const parser = new BatchParser({ wants: () => true, onObject: () => {}, onMissing: () => {} });
    parser.push(stream.subarray(0, 60));
    expect(parser.idle).toBe(false);
  });

  it("rejects output that is not cat-file's", () => {
    const parser = new BatchParser({ wants: () => true, onObject: () => {}, onMissing: () => {} });
    expect(() => parser.push(Buffer.from("hello there friend\n"))).toThrow(/unexpected git cat-file output/);
    const p2 = new BatchParser({ wants: () => true, onObject: () => {}, onMissing: () => {} });
    expect(() => p2.push(Buffer.from(`${hex()} blob 2\nabX`))).toThrow(/no newline/);
  });
});

describe("LineSplitter", () => {
  it("splits lines and NUL records across chunk boundaries", () => {
    const text = Buffer.from("alpha\nbeta\n\ngamma é\nlast");
    for (let cut = 0; cut <= text.length; cut++) {
      const lines: string[] = [];
      const s = new LineSplitter((l) => lines.push(l));
      feed(text, [cut], (b) => s.push(b));
      s.end();
      expect(lines).toEqual(["alpha", "beta", "", "gamma é", "last"]);
    }
    const records: string[] = [];
    const z = new LineSplitter((l) => records.push(l), 0);
    z.push(Buffer.from("a b\0c\n"));
    z.push(Buffer.from("d\0"));
    z.end();
    expect(records).toEqual(["a b", "c\nd"]);
  });
});

describe("BlobSet", () => {
  it("keeps ids and one path each, de-duplicates, and finds them after growing", () => {
    const set = new BlobSet(20);
    const ids = Array.from({ length: 5000 }, () => hex());
    ids.forEach((id, i) => expect(set.add(id, `dir/${i % 7}.txt`)).toBe(i));
    expect(set.add(ids[42]!, "other/path")).toBe(42);
    expect(set.size).toBe(5000);
    for (let i = 0; i < ids.length; i += 37) {
      expect(set.indexOf(ids[i]!)).toBe(i);
      expect(set.hexAt(i)).toBe(ids[i]);
      expect(set.pathAt(i)).toBe(`dir/${i % 7}.txt`);
    }
    expect(set.pathAt(42)).toBe("dir/0.txt");
    expect(set.indexOf(hex())).toBe(-1);
    expect(set.indexOf("abc")).toBe(-1);
  });

  it("takes SHA-256 ids", () => {
    const set = new BlobSet(32);
    const id = hex(32);
    set.add(id, "x");
    expect(set.indexOf(id)).toBe(0);
    expect(() => set.add(hex(20), "y")).toThrow(/not an object id/);
  });
});

describe("RawLogParser", () => {
  const A = hex();
  const B = hex();
  const zero = "0".repeat(40);
  const header = (commit: string, parents: string[]) => [`\n\u0001${commit}`, parents.join(" ")];
  const raw = (oldId: string, newId: string, status: string, path: string, mode = "100644") => [
    `\n:100644 ${mode} ${oldId} ${newId} ${status}`,
    path,
  ];

  function parse(tokens: string[]) {
    const out: string[] = [];
    const commits: string[] = [];
    const p = new RawLogParser((commit, path, blob) => out.push(`${commit} ${path} ${blob}`), (c) => commits.push(c));
    tokens.forEach((t) => p.token(t));
    p.end();
    return { out, commits };
  }

  it("an ordinary commit introduces what it adds or changes, not what it deletes", () => {
    const c1 = hex();
    const { out, commits } = parse([
      ...header(c1, [hex()]),
      ...raw(zero, A, "A", "a b/with space.env"),
      ...raw(B, zero, "D", "gone.env"),
    ]);
    expect(out).toEqual([`${c1} a b/with space.env ${A}`]);
    expect(commits).toEqual([c1]);
  });

  it("a merge introduces a blob only when it differs from every parent", () => {
    const m = hex();
    const [p1, p2] = [hex(), hex()];
    const { out, commits } = parse([
      // against p1: both paths changed; against p2: only the resolution
      ...header(m, [p1, p2]),
      ...raw(hex(), A, "M", "app.conf"),
      ...raw(zero, B, "A", "from-p2.env"),
      ...header(m, [p1, p2]),
      ...raw(hex(), A, "M", "app.conf"),
    ]);
    expect(out).toEqual([`${m} app.conf ${A}`]);
    expect(commits).toEqual([m]);
  });

  it("a root commit introduces everything it holds; a submodule commit is no blob", () => {
    const root = hex();
    const next = hex();
    const { out, commits } = parse([
      ...header(root, []),
      ...raw(zero, A, "A", "x"),
      ...raw(zero, B, "A", "vendor/lib", "160000"),
      ...header(next, [root]),
    ]);
    expect(out).toEqual([`${root} x ${A}`]);
    expect(commits).toEqual([root, next]);
  });
});

describe("git process safety", () => {
  it("puts the safe settings before every command, and the repository after -C", () => {
    const argv = gitArgv("/repo", ["log", "--raw"]);
    expect(argv.slice(-4)).toEqual(["-C", "/repo", "log", "--raw"]);
    for (const setting of SAFE_GIT_CONFIG) expect(argv.join("\n")).toContain(`-c\n${setting}`);
    expect(SAFE_GIT_CONFIG).toEqual(expect.arrayContaining(["core.hooksPath=/dev/null", "core.fsmonitor=", "diff.external="]));
  });

  it("drops inherited GIT_* variables and never prompts", () => {
    const saved = { ...process.env };
    try {
      process.env.GIT_DIR = "/elsewhere";
      process.env.GIT_EXTERNAL_DIFF = "/bin/evil";
      process.env.PAGER = "/bin/evil";
      const env = safeGitEnv();
      expect(env.GIT_DIR).toBeUndefined();
      expect(env.GIT_EXTERNAL_DIFF).toBeUndefined();
      expect(env.PAGER).toBeUndefined();
      expect(env.GIT_TERMINAL_PROMPT).toBe("0");
      expect(env.GIT_NO_REPLACE_OBJECTS).toBe("1");
    } finally {
      process.env = saved;
    }
  });

  it("reduces git's stderr to one line", () => {
    expect(gitFailureLine("warning: x\nfatal: bad object HEAD\nmore\n")).toBe("bad object HEAD");
    expect(gitFailureLine("something odd\n")).toBe("something odd");
  });

  it("tells URLs from paths, and hides credentials in messages", () => {
    expect(looksLikeUrl("https://github.com/o/r.git")).toBe(true);
    expect(looksLikeUrl("git@github.com:o/r.git")).toBe(true);
    expect(looksLikeUrl("file:///srv/r.git")).toBe(true);
    expect(looksLikeUrl("./repo")).toBe(false);
    expect(looksLikeUrl("/srv/r.git")).toBe(false);
    expect(redactUrl("fatal: 'https://me:tok3n@example.com/r.git' not found")).toBe("fatal: 'https://***@example.com/r.git' not found");
  });
});
