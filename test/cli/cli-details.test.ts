// What a first user of the CLI hit: several paths and stdin for dir, --exclude, a repeated
// --branch, wording of errors and counts, --help, and --rotate telling what it will not do.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { cli, envFile, tree } from "../helpers/cli.js";
import { startFakeCrisp, type FakeCrisp } from "../helpers/fake-crisp.js";
import { startFakeGitHub } from "../helpers/fake-github.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { gitIn, tempDir } from "../sources/git/history-fixture.js";

const made: string[] = [];
let crisp: FakeCrisp | undefined;
afterEach(async () => {
  await crisp?.close();
  crisp = undefined;
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function dirTree(files: Record<string, string>): Promise<string> {
  const root = await tree(files);
  made.push(root);
  return root;
}

const paths = (stdout: string): string[] =>
  JSON.parse(stdout).findings.flatMap((f: { occurrences: Array<{ path: string }> }) => f.occurrences.map((o) => o.path)).sort();

describe("dir PATH...", () => {
  it("scans several paths, each occurrence named under the path it was found in", async () => {
    const a = randomKeypair();
    const b = randomKeypair();
    const root = await dirTree({ "src/.env": envFile(a), "config/.env": envFile(b), "config/app.yml": "x: 1\n", "other/.env": envFile(randomKeypair()) });
    const run = await cli(["dir", "src", "config/", "--format", "json"], { cwd: root });
    expect(run.code).toBe(1);
    expect(paths(run.stdout)).toEqual(["config/.env", "src/.env"]);
    expect(JSON.parse(run.stdout).scan.filesScanned).toBe(3);
  });

  it("a missing one among several is exit 2 naming it, before anything is scanned", async () => {
    const root = await dirTree({ "src/a.txt": "a\n" });
    const run = await cli(["dir", "src", "nope"], { cwd: root });
    expect(run).toMatchObject({ code: 2, stdout: "", stderr: "crisp-guard: error: no such file or directory: nope\n" });
  });

  it("- reads one document from stdin, reported as <stdin>", async () => {
    const kp = randomKeypair();
    const run = await cli(["dir", "-", "--format", "json"], { stdin: envFile(kp) });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings[0].occurrences).toEqual([expect.objectContaining({ path: "<stdin>", line: 3 })]);
    expect(holdsRaw(run.stdout + run.stderr, kp)).toBe(false);
    const clean = await cli(["dir", "-"], { stdin: "nothing\n" });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("Scanned 1 file ");
  });

  it("- over --max-file-size is skipped and counted", async () => {
    const run = await cli(["dir", "-", "--max-file-size", "10B", "--format", "json"], { stdin: envFile(randomKeypair()) });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).scan.skippedLarge).toBe(1);
  });
});

describe("--exclude", () => {
  it("skips matching paths beside the config's paths-ignore (repeatable), for dir and git", async () => {
    const root = await dirTree({
      "crisp-guard.yml": 'paths-ignore: ["vendor/**"]\n',
      "vendor/.env": envFile(randomKeypair()),
      "test/fixtures/.env": envFile(randomKeypair()),
      "docs/x.env": envFile(randomKeypair()),
      "app/.env": envFile(randomKeypair()),
    });
    const all = await cli(["dir", ".", "--format", "json"], { cwd: root });
    expect(paths(all.stdout)).toEqual(["app/.env", "docs/x.env", "test/fixtures/.env"]);
    const some = await cli(["dir", ".", "--exclude", "test/**", "--exclude", "docs/**", "--format", "json"], { cwd: root });
    expect(paths(some.stdout)).toEqual(["app/.env"]);

    gitIn(root, ["init", "-q", "-b", "main"]);
    gitIn(root, ["add", "."]);
    gitIn(root, ["commit", "-q", "-m", "all"]);
    const git = await cli(["git", ".", "--exclude", "test/**", "--format", "json"], { cwd: root });
    expect(paths(git.stdout)).toEqual(["app/.env", "docs/x.env"]);
  });
});

describe("git --branch, repeated", () => {
  it("scans what any of the named refs reach, and nothing else", async () => {
    const repo = tempDir();
    made.push(repo);
    gitIn(repo, ["init", "-q", "-b", "main"]);
    writeFileSync(join(repo, "README.md"), "x\n");
    gitIn(repo, ["add", "."]);
    gitIn(repo, ["commit", "-q", "-m", "init"]);
    for (const branch of ["one", "two", "three"]) {
      gitIn(repo, ["checkout", "-q", "-b", branch, "main"]);
      writeFileSync(join(repo, `${branch}.env`), envFile(randomKeypair()));
      gitIn(repo, ["add", "."]);
      gitIn(repo, ["commit", "-q", "-m", branch]);
    }
    const run = await cli(["git", repo, "--branch", "one", "--branch", "three", "--format", "json"]);
    expect(run.code).toBe(1);
    expect(paths(run.stdout)).toEqual(["one.env", "three.env"]);
  });
});

describe("wording", () => {
  it("commander's own errors carry the crisp-guard: prefix like every other error", async () => {
    const run = await cli(["dir", ".", "--nope"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^crisp-guard: error: unknown option '--nope'\n/);
    const unknown = await cli(["scan"]);
    expect(unknown.stderr).toMatch(/^crisp-guard: error: unknown command 'scan'/);
  });

  it("--help shows the size default as 25MB, not a byte count", async () => {
    for (const command of ["dir", "git", "staged"]) {
      const run = await cli([command, "--help"]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('(default: 25MB)');
      expect(run.stdout).not.toContain("26214400");
    }
  });

  it("counts are in the right number: 1 file, 1 blob, 1 commit", async () => {
    const root = await dirTree({ "a.txt": "nothing\n" });
    expect((await cli(["dir", root])).stdout).toMatch(/Scanned 1 file \(/);
    gitIn(root, ["init", "-q", "-b", "main"]);
    gitIn(root, ["add", "."]);
    gitIn(root, ["commit", "-q", "-m", "one"]);
    expect((await cli(["git", root])).stdout).toMatch(/Scanned 1 blob \(.*; 1 commit\./);
    const two = await dirTree({ "a.txt": "a\n", "b.txt": "b\n" });
    expect((await cli(["dir", two])).stdout).toMatch(/Scanned 2 files \(/);
  });
});

describe("--rotate", () => {
  async function setup(serverYaml: string) {
    const kp = randomKeypair();
    crisp = await startFakeCrisp([{ ...kp, tier: "plugin" }]);
    const root = await dirTree({ ".env": `CRISP_TIER=plugin\n${envFile(kp)}` });
    const serverConfig = join(root, "server.yml");
    writeFileSync(serverConfig, serverYaml);
    return { kp, root, env: { CRISP_API_URL: crisp.url, CRISP_GUARD_CONFIG: serverConfig } };
  }

  it("with rotators enabled but no defaults.rotate, says on stderr that nothing will rotate", async () => {
    const { kp, root, env } = await setup("rotators: { github-issue: {} }\n");
    const run = await cli(["dir", root, "--rotate", "--format", "json", "--exclude", "server.yml"], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^crisp-guard: warning: --rotate: nothing will be rotated: no rotator is chosen \(the server config enables github-issue but has no defaults\.rotate\.rotators/);
    expect(JSON.parse(run.stdout).findings[0].rotation).toBeNull();
    expect(holdsRaw(run.stdout + run.stderr, kp)).toBe(false);
  });

  it("says nothing when a rotator is chosen", async () => {
    const { root, env } = await setup("defaults: { rotate: { when: live, rotators: [noop] } }\n");
    const run = await cli(["dir", root, "--rotate", "--exclude", "server.yml"], { env });
    expect(run.stderr).toBe("");
  });

  it("github-issue with GITHUB_TOKEN opens one issue, waiting out GitHub's rate limit as the app does", async () => {
    nock.enableNetConnect("127.0.0.1");
    const github = await startFakeGitHub({ requireAuth: true, repos: [{ owner: "acme", repo: "security" }] });
    try {
      const { kp, root, env } = await setup(
        "rotators: { github-issue: { repository: acme/security } }\ndefaults: { rotate: { when: live, rotators: [github-issue] } }\n",
      );
      // A secondary rate limit on the first try: the client's throttling waits retry-after and tries again.
      github.failNext({ method: "POST", path: "/repos/acme/security/issues", status: 403, headers: { "retry-after": "1" }, body: { message: "You have exceeded a secondary rate limit." } });
      const run = await cli(["dir", root, "--rotate", "--format", "json", "--exclude", "server.yml"], {
        env: { ...env, GITHUB_TOKEN: github.token, GITHUB_API_URL: github.apiUrl },
      });
      expect(run.code).toBe(1);
      expect(github.repo("acme/security").issues).toHaveLength(1);
      const posts = github.requests.filter((r) => r.method === "POST" && r.path === "/repos/acme/security/issues");
      expect(posts).toHaveLength(2);
      expect(JSON.parse(run.stdout).findings[0].rotation).toMatchObject({ status: "requested" });
      expect(holdsRaw(run.stdout + run.stderr, kp)).toBe(false);
      expect(run.stdout + run.stderr).not.toContain(github.token);
    } finally {
      await github.close();
      nock.disableNetConnect();
    }
  });

  it("the github-issue rotator without a token names GITHUB_TOKEN", async () => {
    const { root, env } = await setup("rotators: { github-issue: {} }\ndefaults: { rotate: { rotators: [github-issue] } }\n");
    const run = await cli(["dir", root, "--rotate"], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^crisp-guard: error: rotator "github-issue" needs a GitHub token from the CLI: set GITHUB_TOKEN/);
  });
});

describe(".pre-commit-hooks.yaml", () => {
  it("runs crisp-guard staged from this package's bin, without file names", () => {
    const hooks = parse(readFileSync(".pre-commit-hooks.yaml", "utf8"));
    expect(hooks).toEqual([expect.objectContaining({ id: "crisp-guard", entry: "crisp-guard staged", language: "node", pass_filenames: false })]);
    expect(JSON.parse(readFileSync("package.json", "utf8")).bin["crisp-guard"]).toBeDefined();
  });
});
