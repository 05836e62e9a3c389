// A GitHub git host on 127.0.0.1 for tests: repositories served over git's smart HTTP by
// `git http-backend` (CGI), refusing every request without the installation token's header, as
// GitHub does. Records each request's URL and headers so tests can look for the token in them.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { dirname, join } from "node:path";
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
  /** Serves an existing bare repository (moved under the host) as owner/repo. */
  serveBare(owner: string, repo: string, bareDir: string): void;
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

/** As GitHub: a fetch may name any commit and ask for a filter. */
function allowAnyWant(bare: string): void {
  git(bare, ["config", "uploadpack.allowFilter", "true"]);
  git(bare, ["config", "uploadpack.allowAnySHA1InWant", "true"]);
}

/** The Authorization header GitHub takes for an installation token. */
export function tokenHeader(token: string): string {
  return `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
}

export async function startFakeGitHost(token: string): Promise<FakeGitHost> {
  const root = tempDir("fake-git-host-");
  const requests: GitRequest[] = [];
  const expected = tokenHeader(token);

  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization, headers: req.headers });
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="GitHub"' });
      res.end();
      return;
    }
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const child = spawn("git", ["http-backend"], {
      env: {
        PATH: process.env.PATH ?? "",
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: "1",
        PATH_INFO: url.pathname,
        REQUEST_METHOD: req.method ?? "GET",
        QUERY_STRING: url.search.replace(/^\?/, ""),
        CONTENT_TYPE: String(req.headers["content-type"] ?? ""),
        HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"] ?? ""),
        GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
        REMOTE_ADDR: "127.0.0.1",
      },
      stdio: ["pipe", "pipe", "ignore"],
    });
    req.pipe(child.stdin);
    let head = Buffer.alloc(0);
    let headersSent = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (headersSent) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const text = head.toString("latin1");
      const end = text.search(/\r?\n\r?\n/);
      if (end < 0) return;
      const sep = /\r?\n\r?\n/.exec(text.slice(end))![0].length;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of text.slice(0, end).split(/\r?\n/)) {
        const colon = line.indexOf(":");
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number(value.split(" ")[0]);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      headersSent = true;
      res.write(head.subarray(end + sep));
    });
    child.on("close", () => {
      if (!headersSent) res.writeHead(500);
      res.end();
    });
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
      allowAnyWant(bare);
      return shas;
    },
    serveBare(owner, repo, bareDir) {
      const bare = join(root, owner, `${repo}.git`);
      mkdirSync(dirname(bare), { recursive: true });
      renameSync(bareDir, bare);
      allowAnyWant(bare);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
