// git's smart HTTP for the test fakes: one request handed to `git http-backend` (CGI) over the
// repositories under a project root, its CGI answer turned into the HTTP response.
import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";

/** The Authorization header GitHub takes for an installation token. */
export function tokenHeader(token: string): string {
  return `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
}

/** The token of a `Basic x-access-token:<token>` header, or null. */
export function tokenOfHeader(authorization: string | undefined): string | null {
  const m = /^Basic\s+(\S+)$/i.exec(authorization ?? "");
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  return decoded.startsWith("x-access-token:") ? decoded.slice("x-access-token:".length) : null;
}

/** Refuses as GitHub does: 401 with a Basic challenge (git then fails: no credential helper). */
export function refuseGit(res: ServerResponse): void {
  res.writeHead(401, { "www-authenticate": 'Basic realm="GitHub"' });
  res.end();
}

/** Serves `pathInfo` (`/owner/repo.git/info/refs`, …) from the repositories under `projectRoot`. */
export function serveGitHttpBackend(req: IncomingMessage, res: ServerResponse, projectRoot: string, pathInfo: string, query: string): void {
  const child = spawn("git", ["http-backend"], {
    env: {
      PATH: process.env.PATH ?? "",
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: "1",
      PATH_INFO: pathInfo,
      REQUEST_METHOD: req.method ?? "GET",
      QUERY_STRING: query,
      CONTENT_TYPE: String(req.headers["content-type"] ?? ""),
      HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"] ?? ""),
      GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
      REMOTE_ADDR: "127.0.0.1",
    },
    stdio: ["pipe", "pipe", "ignore"],
  });
  req.pipe(child.stdin);
  child.stdin.on("error", () => {}); // git may exit before reading the whole body
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
}
