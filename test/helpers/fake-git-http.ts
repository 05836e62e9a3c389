// A GitHub git host on 127.0.0.1 for tests: repositories served over git's smart HTTP by
// `git http-backend` (CGI), refusing every request without the installation token's header, as
// GitHub does. Records each request's URL and headers so tests can look for the token in them.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { dirname, join } from "node:path";
import { refuseGit, serveGitHttpBackend, tokenHeader } from "./git-http-backend.js";
import { tempDir } from "./temp.js";

export interface GitRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

export interface FakeGitHost {
  /** http://127.0.0.1:port: the base URL (owner/repo.git below it). */
  url: string;
  requests: GitRequest[];
  /**
   * Makes owner/repo with one commit per entry (path → text, or null to delete the file), oldest
   * first, on main; returns the commit ids. No entry: an empty repository.
   */
  repository(owner: string, repo: string, commits: Array<Record<string, string | null>>): string[];
  close(): Promise<void>;
}

const GIT_ENV = { GIT_AUTHOR_NAME: "Test", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "Test", GIT_COMMITTER_EMAIL: "t@example.com" };

function git(cwd: string, args: string[]): string {
  return execFileSync("git", ["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: cwd, ...GIT_ENV },
    encoding: "utf8",
  });
}

export { tokenHeader } from "./git-http-backend.js";

export async function startFakeGitHost(token: string): Promise<FakeGitHost> {
  const root = tempDir("fake-git-host-");
  const requests: GitRequest[] = [];
  const expected = tokenHeader(token);

  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization, headers: req.headers });
    if (req.headers.authorization !== expected) {
      refuseGit(res);
      return;
    }
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    serveGitHttpBackend(req, res, root, url.pathname, url.search.replace(/^\?/, ""));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    repository(owner, repo, commits) {
      const work = tempDir("fake-git-work-");
      git(work, ["init", "--quiet"]);
      const shas: string[] = [];
      for (const [i, files] of commits.entries()) {
        for (const [path, text] of Object.entries(files)) {
          if (text === null) {
            rmSync(join(work, path), { force: true });
            continue;
          }
          mkdirSync(dirname(join(work, path)), { recursive: true });
          writeFileSync(join(work, path), text);
        }
        git(work, ["add", "-A"]);
        git(work, ["commit", "--quiet", "--allow-empty", "-m", `commit ${i + 1}`]);
        shas.push(git(work, ["rev-parse", "HEAD"]).trim());
      }
      const bare = join(root, owner, `${repo}.git`);
      mkdirSync(dirname(bare), { recursive: true });
      git(root, ["clone", "--quiet", "--bare", work, bare]);
      // As GitHub: a fetch may name any commit and ask for a filter.
      git(bare, ["config", "uploadpack.allowFilter", "true"]);
      git(bare, ["config", "uploadpack.allowAnySHA1InWant", "true"]);
      return shas;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
