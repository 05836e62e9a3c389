// A fake GitHub (Enterprise Server paths, /api/v3/...) on 127.0.0.1 for end-to-end tests: serves the
// REST subset Crisp Guard uses from an in-memory model and records every request for assertions.
// Point Probot at it with GHE_HOST=127.0.0.1:<port> and GHE_PROTOCOL=http, or an Octokit with
// baseUrl: fake.apiUrl.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, statSync, symlinkSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { positionsInPatch } from "../../src/report/github-diff.js";
import { refuseGit, serveGitHttpBackend, tokenOfHeader } from "./git-http-backend.js";
import { tempDir } from "./temp.js";
import {
  GitModel,
  ZERO_SHA,
  fileChanges,
  gitBlobSha,
  type AddCommitInput,
  type FakeCommit,
  type FileChange,
} from "./fake-github-model.js";

export { ZERO_SHA, gitBlobSha, unifiedPatch } from "./fake-github-model.js";
export type { AddCommitInput, CommitAuthor } from "./fake-github-model.js";

/** GitHub: a compare without page parameters lists at most 250 commits (REST docs, compare). */
const COMPARE_UNPAGED_COMMITS = 250;
/** GitHub: compare lists at most 300 changed files (REST docs, compare). */
const COMPARE_MAX_FILES = 300;
/** GitHub: a commit's files come 300 per page... */
const COMMIT_FILES_PER_PAGE = 300;
/** ...up to 3000 files in all (REST docs, get a commit). */
const COMMIT_MAX_FILES = 3000;
/** GitHub: list endpoints default to 30 per page and allow at most 100. */
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;
/** GitHub Checks API: at most 50 annotations per request. */
const ANNOTATIONS_PER_REQUEST = 50;
/** A push webhook lists at most 2048 commits (GitHub webhook docs, push). */
const PUSH_PAYLOAD_MAX_COMMITS = 2048;

export interface RecordedRequest {
  method: string;
  /** The API path without the /api/v3 prefix and without the query, percent-decoded. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface FakeRepoOptions {
  defaultBranch?: string;
  private?: boolean;
  /** The content of .github/crisp-guard.yml; absent: 404, as for an unconfigured repository. */
  config?: string | null;
  /** Logins that may be assigned to issues; absent: anyone. Others get GitHub's 422. */
  assignable?: string[];
  /**
   * A real bare repository behind this one: served over git's smart HTTP at /owner/repo.git (an
   * issued installation token required), its commits accepted by the routes that write to a commit.
   * Its HEAD names the default branch.
   */
  gitDir?: string;
  /** GitHub's `size` (KB); default: the git repository's objects, else 1. */
  size?: number;
  /** An archived repository: read-only, writes answer 403. */
  archived?: boolean;
}

/** A request to a repository's git endpoint (never in `requests`). */
export interface GitHttpRequest {
  method: string;
  /** The path and query, e.g. /owner/repo.git/info/refs?service=git-upload-pack. */
  url: string;
  /** owner/repo, as requested. */
  repository: string;
  /** An issued installation token came with it. */
  authorized: boolean;
}

/** KB of the files under `dir` (GitHub's `size` counts the repository's objects). */
function diskKb(dir: string): number {
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    bytes += e.isDirectory() ? diskKb(path) * 1024 : statSync(path).size;
  }
  return Math.ceil(bytes / 1024);
}

/** A git repository's commit named by `ref`, or null. */
function gitCommit(gitDir: string, ref: string): string | null {
  if (!/^[\w./-]+$/.test(ref) || ref.startsWith("-")) return null;
  try {
    return execFileSync("git", ["-C", gitDir, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

export interface FakeCommitComment {
  id: number;
  commit_id: string;
  body: string;
  path: string | null;
  position: number | null;
  line: number | null;
  created_at: string;
  updated_at: string;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  details_url: string | null;
  external_id: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: Array<Record<string, unknown>>;
  /** How many requests carried annotations (create and updates). */
  annotationRequests: number;
}

export interface FakeIssueComment {
  id: number;
  body: string;
  user: string;
  created_at: string;
  updated_at: string;
}

export interface FakeIssue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  state_reason: string | null;
  labels: string[];
  assignees: string[];
  user: string;
  comments: FakeIssueComment[];
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface PushPayloadInput {
  /** "refs/heads/main" or "refs/tags/v1"; default the default branch. */
  ref?: string;
  before: string;
  after: string;
  forced?: boolean;
  pusher?: { name: string; email: string };
  sender?: string;
}

export class FakeRepo {
  readonly id: number;
  readonly git: GitModel;
  config: string | null;
  readonly private: boolean;
  assignable: string[] | null;
  readonly gitDir: string | null;
  archived: boolean;
  readonly size: number;
  readonly commitComments: FakeCommitComment[] = [];
  readonly checkRuns: FakeCheckRun[] = [];
  readonly issues: FakeIssue[] = [];

  constructor(
    readonly owner: string,
    readonly name: string,
    id: number,
    options: FakeRepoOptions,
    private readonly server: { htmlUrl: string; apiUrl: string; installationId: number },
  ) {
    this.id = id;
    this.gitDir = options.gitDir ?? null;
    const gitHead = this.gitDir
      ? execFileSync("git", ["-C", this.gitDir, "symbolic-ref", "--short", "HEAD"], { encoding: "utf8" }).trim()
      : null;
    this.git = new GitModel(options.defaultBranch ?? gitHead ?? "main");
    if (this.gitDir) {
      const gitDir = this.gitDir;
      const known = new Map<string, string | null>();
      this.git.externalCommit = (ref) => {
        if (!known.has(ref)) known.set(ref, gitCommit(gitDir, ref));
        return known.get(ref)!;
      };
    }
    this.size = options.size ?? (this.gitDir ? diskKb(join(this.gitDir, "objects")) : 1);
    this.archived = options.archived ?? false;
    this.config = options.config ?? null;
    this.private = options.private ?? false;
    this.assignable = options.assignable ?? null;
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  get defaultBranch(): string {
    return this.git.defaultBranch;
  }

  /** Adds a commit (its files are changes against the parent) and moves the branch; returns its sha. */
  addCommit(input: AddCommitInput): string {
    return this.git.addCommit(input);
  }

  setBranch(name: string, sha: string): void {
    this.git.branches.set(name, sha);
  }

  setTag(name: string, sha: string): void {
    this.git.tags.set(name, sha);
  }

  head(branch = this.defaultBranch): string {
    const sha = this.git.branches.get(branch);
    if (!sha) throw new Error(`fake-github: no branch ${branch}`);
    return sha;
  }

  /** The check runs on one commit. */
  checkRunsFor(sha: string): FakeCheckRun[] {
    return this.checkRuns.filter((c) => c.head_sha === sha);
  }

  /** The repository object as GitHub's webhooks and REST API show it. */
  repositoryJson(): Record<string, unknown> {
    const { htmlUrl, apiUrl } = this.server;
    return {
      id: this.id,
      node_id: `R_fake${this.id}`,
      name: this.name,
      full_name: this.fullName,
      private: this.private,
      owner: { login: this.owner, name: this.owner, id: 1000 + this.id, type: "Organization" },
      html_url: `${htmlUrl}/${this.fullName}`,
      url: `${apiUrl}/repos/${this.fullName}`,
      default_branch: this.defaultBranch,
      master_branch: this.defaultBranch,
      fork: false,
      archived: this.archived,
      size: this.size,
      visibility: this.private ? "private" : "public",
    };
  }

  /** A push webhook payload for a push that moved `ref` from `before` to `after`. */
  pushPayload(input: PushPayloadInput): Record<string, unknown> {
    const ref = input.ref ?? `refs/heads/${this.defaultBranch}`;
    const created = input.before === ZERO_SHA;
    const deleted = input.after === ZERO_SHA;
    const { htmlUrl } = this.server;
    let shas: string[] = [];
    if (!deleted) {
      const base = created
        ? ref === `refs/heads/${this.defaultBranch}`
          ? null
          : (this.git.branches.get(this.defaultBranch) ?? null)
        : this.git.commits.has(input.before)
          ? input.before
          : null;
      shas = this.git.between(base, input.after).slice(-PUSH_PAYLOAD_MAX_COMMITS);
    }
    const commitJson = (sha: string): Record<string, unknown> => {
      const c = this.git.commits.get(sha)!;
      const files = this.git.commitFiles(sha);
      const person = { name: c.author.name, email: c.author.email, ...(c.author.login ? { username: c.author.login } : {}) };
      return {
        id: c.sha,
        tree_id: c.treeSha,
        distinct: true,
        message: c.message,
        timestamp: c.date,
        url: `${htmlUrl}/${this.fullName}/commit/${c.sha}`,
        author: person,
        committer: person,
        added: files.filter((f) => f.status === "added").map((f) => f.filename),
        removed: files.filter((f) => f.status === "removed").map((f) => f.filename),
        modified: files.filter((f) => f.status === "modified").map((f) => f.filename),
      };
    };
    const commits = shas.map(commitJson);
    const sender = input.sender ?? "dana";
    return {
      ref,
      before: input.before,
      after: input.after,
      created,
      deleted,
      forced: input.forced ?? false,
      base_ref: null,
      compare: `${htmlUrl}/${this.fullName}/compare/${input.before.slice(0, 12)}...${input.after.slice(0, 12)}`,
      commits,
      head_commit: deleted ? null : this.git.commits.has(input.after) ? commitJson(input.after) : null,
      repository: { ...this.repositoryJson(), pushed_at: Math.floor(Date.now() / 1000) },
      pusher: input.pusher ?? { name: sender, email: `${sender}@example.com` },
      sender: { login: sender, id: 4242, type: "User" },
      installation: { id: this.server.installationId, node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${this.server.installationId}` },
    };
  }
}

export interface FailureRule {
  method?: string;
  /** Matched against the API path (without /api/v3). */
  path: string | RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail (default 1). */
  times?: number;
}

export interface FakeGitHubOptions {
  /** Repositories to create at start. */
  repos?: Array<{ owner: string; repo: string } & FakeRepoOptions>;
  installationId?: number;
  /** The installation token handed out (default a fixed fake). */
  token?: string;
  /** Refuse repository endpoints (401) without an issued installation token. Default false. */
  requireAuth?: boolean;
  /** The login comments, check runs and issues are created as. */
  botLogin?: string;
}

export interface FakeGitHub {
  /** http://127.0.0.1:PORT: the GHE host. */
  url: string;
  /** http://127.0.0.1:PORT/api/v3: the REST base URL. */
  apiUrl: string;
  /** "127.0.0.1:PORT", for Probot's GHE_HOST. */
  host: string;
  port: number;
  token: string;
  installationId: number;
  requests: RecordedRequest[];
  /** Requests to the repositories' git endpoints (git-backed repositories: FakeRepoOptions.gitDir). */
  gitRequests: GitHttpRequest[];
  repos: Map<string, FakeRepo>;
  /** The repository "owner/name", created if missing. */
  repo(fullName: string, options?: FakeRepoOptions): FakeRepo;
  /** Make the next matching request(s) fail with this status. */
  failNext(rule: FailureRule): void;
  /**
   * Perform the next matching request but never answer it, as if the caller died while it was in
   * flight (GitHub did the write). Resolves with the request once it has been performed.
   */
  holdNext(rule: { method: string; path: string | RegExp }): Promise<RecordedRequest>;
  /** Requests matching a method and a path (string: exact; RegExp: test). */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[];
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const notFound = (): HttpError => new HttpError(404, "Not Found");
const validation = (field: string, message: string, code = "invalid"): HttpError =>
  new HttpError(422, "Validation Failed", { errors: [{ resource: "Resource", field, code, message }] });

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function base64Lines(content: string): string {
  // GitHub wraps base64 content at 60 characters per line.
  return (Buffer.from(content, "utf8").toString("base64").match(/.{1,60}/g) ?? []).join("\n") + "\n";
}

function pageParams(query: Record<string, string>, defaultPerPage: number, maxPerPage: number): { page: number; perPage: number } {
  const page = Math.max(1, Number(query.page ?? 1) || 1);
  const perPage = Math.min(maxPerPage, Math.max(1, Number(query.per_page ?? defaultPerPage) || defaultPerPage));
  return { page, perPage };
}

/** GitHub's Link header for page-numbered lists. */
function linkHeader(baseUrl: string, query: Record<string, string>, page: number, lastPage: number): string | null {
  if (lastPage <= 1) return null;
  const link = (p: number, rel: string): string => {
    const q = new URLSearchParams({ ...query, page: String(p) });
    return `<${baseUrl}?${q.toString()}>; rel="${rel}"`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(link(page - 1, "prev"));
  if (page < lastPage) parts.push(link(page + 1, "next"));
  parts.push(link(lastPage, "last"));
  if (page > 1) parts.push(link(1, "first"));
  return parts.join(", ");
}

type Reply = {
  status: number;
  headers?: Record<string, string>;
} & (
  | { body: unknown; raw?: false }
  /** Send the body as-is (raw media type). */
  | { body: string; raw: true }
);

function paged<T>(
  items: T[],
  query: Record<string, string>,
  selfUrl: string,
  defaultPerPage = DEFAULT_PER_PAGE,
  maxPerPage = MAX_PER_PAGE,
): Reply {
  const { page, perPage } = pageParams(query, defaultPerPage, maxPerPage);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = linkHeader(selfUrl, query, page, last);
  return { status: 200, body: items.slice((page - 1) * perPage, page * perPage), ...(link ? { headers: { link } } : {}) };
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const installationId = options.installationId ?? 12345;
  const token = options.token ?? "ghs_fakeInstallationToken0000000000000000";
  const botLogin = options.botLogin ?? "crisp-guard[bot]";
  const requests: RecordedRequest[] = [];
  const repos = new Map<string, FakeRepo>();
  const failures: FailureRule[] = [];
  const holds: Array<{ method: string; path: string | RegExp; performed: (r: RecordedRequest) => void }> = [];
  const issuedTokens = new Set<string>([token]);
  const gitRequests: GitHttpRequest[] = [];
  /** owner/repo.git links to the git-backed repositories, for git http-backend. */
  const gitRoot = tempDir("fake-github-git-");
  let nextId = 1;
  let nextRepoId = 1;
  const ctx = { htmlUrl: "", apiUrl: "", installationId };

  const getRepo = (fullName: string, repoOptions: FakeRepoOptions = {}): FakeRepo => {
    const key = fullName.toLowerCase();
    let r = repos.get(key);
    if (!r) {
      const [owner, name] = fullName.split("/");
      if (!owner || !name) throw new Error(`fake-github: repository is "owner/name": ${fullName}`);
      r = new FakeRepo(owner, name, nextRepoId++, repoOptions, ctx);
      repos.set(key, r);
      if (r.gitDir) {
        const link = join(gitRoot, owner, `${name}.git`);
        mkdirSync(dirname(link), { recursive: true });
        symlinkSync(r.gitDir, link);
        // As GitHub: a fetch may name any commit it holds and ask for a filter.
        execFileSync("git", ["-C", r.gitDir, "config", "uploadpack.allowFilter", "true"]);
        execFileSync("git", ["-C", r.gitDir, "config", "uploadpack.allowAnySHA1InWant", "true"]);
      }
    } else {
      // Later calls may configure an existing repository.
      if (repoOptions.config !== undefined) r.config = repoOptions.config;
      if (repoOptions.assignable !== undefined) r.assignable = repoOptions.assignable;
    }
    return r;
  };
  for (const r of options.repos ?? []) getRepo(`${r.owner}/${r.repo}`, r);

  const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const user = (login: string): Record<string, unknown> => ({
    login,
    id: login === botLogin ? 9_000_001 : 4242,
    type: login.endsWith("[bot]") ? "Bot" : "User",
  });

  // ---- JSON shapes -------------------------------------------------------------------------

  const commitJson = (repo: FakeRepo, c: FakeCommit): Record<string, unknown> => {
    const api = `${ctx.apiUrl}/repos/${repo.fullName}`;
    const html = `${ctx.htmlUrl}/${repo.fullName}`;
    const person = { name: c.author.name, email: c.author.email, date: c.date };
    return {
      sha: c.sha,
      node_id: `C_fake${c.sha.slice(0, 12)}`,
      url: `${api}/commits/${c.sha}`,
      html_url: `${html}/commit/${c.sha}`,
      comments_url: `${api}/commits/${c.sha}/comments`,
      commit: {
        url: `${api}/git/commits/${c.sha}`,
        author: person,
        committer: person,
        message: c.message,
        tree: { sha: c.treeSha, url: `${api}/git/trees/${c.treeSha}` },
        comment_count: repo.commitComments.filter((x) => x.commit_id === c.sha).length,
        verification: { verified: false, reason: "unsigned", signature: null, payload: null },
      },
      author: c.author.login ? user(c.author.login) : null,
      committer: c.author.login ? user(c.author.login) : null,
      parents: c.parents.map((p) => ({ sha: p, url: `${api}/commits/${p}`, html_url: `${html}/commit/${p}` })),
    };
  };

  const fileJson = (repo: FakeRepo, ref: string, f: FileChange): Record<string, unknown> => {
    const path = f.filename.split("/").map(encodeURIComponent).join("/");
    return {
      ...f,
      blob_url: `${ctx.htmlUrl}/${repo.fullName}/blob/${ref}/${path}`,
      raw_url: `${ctx.htmlUrl}/${repo.fullName}/raw/${ref}/${path}`,
      contents_url: `${ctx.apiUrl}/repos/${repo.fullName}/contents/${path}?ref=${ref}`,
    };
  };

  const commentJson = (repo: FakeRepo, c: FakeCommitComment): Record<string, unknown> => ({
    ...c,
    node_id: `CC_fake${c.id}`,
    url: `${ctx.apiUrl}/repos/${repo.fullName}/comments/${c.id}`,
    html_url: `${ctx.htmlUrl}/${repo.fullName}/commit/${c.commit_id}#commitcomment-${c.id}`,
    user: user(botLogin),
    author_association: "NONE",
  });

  const checkRunJson = (repo: FakeRepo, c: FakeCheckRun): Record<string, unknown> => ({
    id: c.id,
    node_id: `CR_fake${c.id}`,
    name: c.name,
    head_sha: c.head_sha,
    status: c.status,
    conclusion: c.conclusion,
    details_url: c.details_url,
    external_id: c.external_id,
    url: `${ctx.apiUrl}/repos/${repo.fullName}/check-runs/${c.id}`,
    html_url: `${ctx.htmlUrl}/${repo.fullName}/runs/${c.id}`,
    output: { ...c.output, annotations_count: c.annotations.length, annotations_url: `${ctx.apiUrl}/repos/${repo.fullName}/check-runs/${c.id}/annotations` },
    app: { slug: "crisp-guard", name: "Crisp Guard" },
  });

  const issueJson = (repo: FakeRepo, i: FakeIssue): Record<string, unknown> => ({
    id: i.id,
    node_id: `I_fake${i.id}`,
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    state_reason: i.state_reason,
    labels: i.labels.map((name, n) => ({ id: n + 1, name })),
    assignee: i.assignees[0] ? user(i.assignees[0]) : null,
    assignees: i.assignees.map(user),
    user: user(i.user),
    comments: i.comments.length,
    url: `${ctx.apiUrl}/repos/${repo.fullName}/issues/${i.number}`,
    html_url: `${ctx.htmlUrl}/${repo.fullName}/issues/${i.number}`,
    repository_url: `${ctx.apiUrl}/repos/${repo.fullName}`,
    created_at: i.created_at,
    updated_at: i.updated_at,
    closed_at: i.closed_at,
  });

  const issueCommentJson = (repo: FakeRepo, i: FakeIssue, c: FakeIssueComment): Record<string, unknown> => ({
    id: c.id,
    node_id: `IC_fake${c.id}`,
    body: c.body,
    user: user(c.user),
    url: `${ctx.apiUrl}/repos/${repo.fullName}/issues/comments/${c.id}`,
    html_url: `${ctx.htmlUrl}/${repo.fullName}/issues/${i.number}#issuecomment-${c.id}`,
    issue_url: `${ctx.apiUrl}/repos/${repo.fullName}/issues/${i.number}`,
    created_at: c.created_at,
    updated_at: c.updated_at,
  });

  // ---- handlers ----------------------------------------------------------------------------

  const commitOr422 = (repo: FakeRepo, ref: string): FakeCommit => {
    const sha = repo.git.resolve(ref);
    if (!sha) throw new HttpError(422, `No commit found for SHA: ${ref}`);
    return repo.git.commits.get(sha)!;
  };

  const validateAnnotations = (annotations: unknown): Array<Record<string, unknown>> => {
    if (annotations === undefined) return [];
    if (!Array.isArray(annotations)) throw validation("output.annotations", "must be an array");
    if (annotations.length > ANNOTATIONS_PER_REQUEST) {
      throw validation("output.annotations", `Only ${ANNOTATIONS_PER_REQUEST} annotations are allowed per request`);
    }
    for (const a of annotations as Array<Record<string, unknown>>) {
      for (const field of ["path", "start_line", "end_line", "annotation_level", "message"]) {
        if (a[field] === undefined) throw validation(`output.annotations.${field}`, `${field} is missing`, "missing_field");
      }
      if (!["notice", "warning", "failure"].includes(String(a.annotation_level))) {
        throw validation("output.annotations.annotation_level", "is not included in the list");
      }
    }
    return annotations as Array<Record<string, unknown>>;
  };

  const applyOutput = (run: FakeCheckRun, output: Record<string, unknown> | undefined): void => {
    if (!output) return;
    if (typeof output.title !== "string" || typeof output.summary !== "string") {
      throw validation("output", "title and summary are required", "missing_field");
    }
    const annotations = validateAnnotations(output.annotations);
    run.output = { title: output.title, summary: output.summary, text: (output.text as string | undefined) ?? run.output.text };
    if (annotations.length > 0) {
      run.annotations.push(...annotations);
      run.annotationRequests += 1;
    }
  };

  const assigneesOrThrow = (repo: FakeRepo, body: Record<string, unknown>): string[] => {
    const list = [
      ...((body.assignees as string[] | undefined) ?? []),
      ...(typeof body.assignee === "string" ? [body.assignee] : []),
    ];
    for (const login of list) {
      if (repo.assignable && !repo.assignable.includes(login)) throw validation("assignees", `${login} cannot be assigned`);
    }
    return [...new Set(list)];
  };

  const labelNames = (labels: unknown): string[] =>
    Array.isArray(labels) ? labels.map((l) => (typeof l === "string" ? l : String((l as { name?: unknown }).name))) : [];

  const searchIssues = (q: string): FakeIssue[] => {
    const terms = q.match(/"[^"]*"|\S+/g) ?? [];
    let scope: FakeRepo[] = [...repos.values()];
    let state: string | null = null;
    const labels: string[] = [];
    const words: string[] = [];
    for (const raw of terms) {
      const t = raw.replace(/^"|"$/g, "");
      const m = /^(repo|is|state|label|in|type):(.+)$/.exec(t);
      if (!m) {
        words.push(t.toLowerCase());
        continue;
      }
      const [, k, v] = m;
      if (k === "repo") scope = scope.filter((r) => r.fullName.toLowerCase() === v!.toLowerCase());
      else if ((k === "is" || k === "state") && (v === "open" || v === "closed")) state = v;
      else if (k === "label") labels.push(v!.replace(/^"|"$/g, ""));
    }
    const found: FakeIssue[] = [];
    for (const r of scope) {
      for (const i of r.issues) {
        if (state && i.state !== state) continue;
        if (!labels.every((l) => i.labels.includes(l))) continue;
        const text = `${i.title}\n${i.body ?? ""}`.toLowerCase();
        if (!words.every((w) => text.includes(w))) continue;
        found.push(i);
      }
    }
    return found;
  };

  const repoOfIssue = (issue: FakeIssue): FakeRepo => [...repos.values()].find((r) => r.issues.includes(issue))!;

  function route(method: string, path: string, query: Record<string, string>, body: Record<string, unknown>, headers: IncomingHttpHeaders): Reply {
    const selfUrl = `${ctx.apiUrl}${path.split("/").map(encodeURIComponent).join("/")}`;
    let m: RegExpExecArray | null;

    if (method === "POST" && (m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path))) {
      if (Number(m[1]) !== installationId) throw notFound();
      return {
        status: 201,
        body: {
          token,
          expires_at: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
          permissions: { contents: "write", checks: "write", issues: "write", metadata: "read" },
          repository_selection: "all",
        },
      };
    }
    if (method === "GET" && (m = /^\/app\/installations\/(\d+)$/.exec(path))) {
      if (Number(m[1]) !== installationId) throw notFound();
      return { status: 200, body: { id: installationId, app_slug: "crisp-guard", target_type: "Organization" } };
    }
    if (method === "GET" && path === "/installation/repositories") {
      const given = (headers.authorization ?? "").replace(/^(token|bearer)\s+/i, "");
      if (!issuedTokens.has(given)) throw new HttpError(401, "Bad credentials");
      const all = [...repos.values()].map((r) => r.repositoryJson());
      const { page, perPage } = pageParams(query, DEFAULT_PER_PAGE, MAX_PER_PAGE);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const link = linkHeader(selfUrl, query, page, last);
      return {
        status: 200,
        body: { total_count: all.length, repository_selection: "all", repositories: all.slice((page - 1) * perPage, page * perPage) },
        ...(link ? { headers: { link } } : {}),
      };
    }
    if (method === "GET" && path === "/search/issues") {
      const found = searchIssues(query.q ?? "");
      const { page, perPage } = pageParams(query, DEFAULT_PER_PAGE, MAX_PER_PAGE);
      const items = found.slice((page - 1) * perPage, page * perPage).map((i) => issueJson(repoOfIssue(i), i));
      return { status: 200, body: { total_count: found.length, incomplete_results: false, items } };
    }

    m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) throw notFound();
    if (options.requireAuth) {
      const auth = headers.authorization ?? "";
      const given = auth.replace(/^(token|bearer)\s+/i, "");
      if (!issuedTokens.has(given)) throw new HttpError(401, "Bad credentials");
    }
    const repo = repos.get(`${m[1]}/${m[2]}`.toLowerCase());
    if (!repo) throw notFound();
    const rest = m[3] ?? "";
    const git = repo.git;
    if (repo.archived && method !== "GET") throw new HttpError(403, "Repository was archived so is read-only.");

    if (method === "GET" && rest === "") return { status: 200, body: repo.repositoryJson() };
    if (method === "GET" && rest === "/installation") {
      return { status: 200, body: { id: installationId, app_slug: "crisp-guard" } };
    }

    // compare
    if (method === "GET" && (m = /^\/compare\/(.+?)\.\.\.(.+)$/.exec(rest))) {
      const base = git.resolve(m[1]!);
      const head = git.resolve(m[2]!);
      if (!base || !head) throw notFound();
      const all = git.between(base, head);
      const behind = git.between(head, base).length;
      const mergeBase = git.mergeBase(base, head);
      const pagedRequest = query.page !== undefined || query.per_page !== undefined;
      const { page, perPage } = pageParams(query, DEFAULT_PER_PAGE, MAX_PER_PAGE);
      const listed = pagedRequest ? all.slice((page - 1) * perPage, page * perPage) : all.slice(0, COMPARE_UNPAGED_COMMITS);
      const files =
        pagedRequest && page > 1
          ? []
          : fileChanges(mergeBase ? git.commits.get(mergeBase)!.tree : new Map(), git.commits.get(head)!.tree)
              .slice(0, COMPARE_MAX_FILES)
              .map((f) => fileJson(repo, head, f));
      const link = pagedRequest ? linkHeader(selfUrl, query, page, Math.max(1, Math.ceil(all.length / perPage))) : null;
      return {
        status: 200,
        headers: link ? { link } : {},
        body: {
          url: selfUrl,
          html_url: `${ctx.htmlUrl}/${repo.fullName}/compare/${m[1]}...${m[2]}`,
          status: all.length === 0 ? (behind === 0 ? "identical" : "behind") : behind === 0 ? "ahead" : "diverged",
          ahead_by: all.length,
          behind_by: behind,
          total_commits: all.length,
          base_commit: commitJson(repo, git.commits.get(base)!),
          merge_base_commit: mergeBase ? commitJson(repo, git.commits.get(mergeBase)!) : null,
          commits: listed.map((s) => commitJson(repo, git.commits.get(s)!)),
          files,
        },
      };
    }

    // check runs on a ref
    if (method === "GET" && (m = /^\/commits\/([^/]+)\/check-runs$/.exec(rest))) {
      const sha = git.resolve(m[1]!);
      if (!sha) throw notFound();
      const runs = repo.checkRunsFor(sha).filter((c) => !query.check_name || c.name === query.check_name);
      return { status: 200, body: { total_count: runs.length, check_runs: runs.map((c) => checkRunJson(repo, c)) } };
    }

    // commit comments
    if ((m = /^\/commits\/([^/]+)\/comments$/.exec(rest))) {
      if (method === "GET") {
        const sha = git.resolve(m[1]!);
        if (!sha) throw notFound();
        return paged(repo.commitComments.filter((c) => c.commit_id === sha).map((c) => commentJson(repo, c)), query, selfUrl);
      }
      if (method === "POST") {
        const c = commitOr422(repo, m[1]!);
        if (typeof body.body !== "string" || body.body === "") throw validation("body", "body is missing", "missing_field");
        const path = typeof body.path === "string" ? body.path : null;
        const position = typeof body.position === "number" ? body.position : null;
        let line: number | null = null;
        if (position !== null) {
          if (path === null) throw validation("path", "path is required with position", "missing_field");
          const file = git.commitFiles(c.sha).find((f) => f.filename === path);
          if (!file?.patch) throw validation("path", `${path} is not part of the diff`);
          const patchLines = file.patch.split("\n");
          if (position < 1 || position >= patchLines.length) throw validation("position", "position is outside the diff");
          // The file line the position lands on, as GitHub shows it in the response.
          for (const [l, p] of positionsInPatch(file.patch)) if (p === position) line = l;
        }
        const comment: FakeCommitComment = {
          id: nextId++,
          commit_id: c.sha,
          body: body.body,
          path,
          position,
          line,
          created_at: now(),
          updated_at: now(),
        };
        repo.commitComments.push(comment);
        return { status: 201, body: commentJson(repo, comment) };
      }
    }
    if (method === "GET" && rest === "/comments") return paged(repo.commitComments.map((c) => commentJson(repo, c)), query, selfUrl);
    if ((m = /^\/comments\/(\d+)$/.exec(rest))) {
      const idx = repo.commitComments.findIndex((c) => c.id === Number(m![1]));
      if (idx < 0) throw notFound();
      const comment = repo.commitComments[idx]!;
      if (method === "GET") return { status: 200, body: commentJson(repo, comment) };
      if (method === "PATCH") {
        if (typeof body.body !== "string" || body.body === "") throw validation("body", "body is missing", "missing_field");
        comment.body = body.body;
        comment.updated_at = now();
        return { status: 200, body: commentJson(repo, comment) };
      }
      if (method === "DELETE") {
        repo.commitComments.splice(idx, 1);
        return { status: 204, body: null };
      }
    }

    // a commit
    if (method === "GET" && (m = /^\/commits\/([^/]+)$/.exec(rest))) {
      const sha = git.resolve(m[1]!);
      if (!sha) throw new HttpError(422, `No commit found for SHA: ${m[1]}`);
      const c = git.commits.get(sha)!;
      const files = git.commitFiles(sha).slice(0, COMMIT_MAX_FILES);
      const { page, perPage } = pageParams(query, COMMIT_FILES_PER_PAGE, COMMIT_FILES_PER_PAGE);
      const last = Math.max(1, Math.ceil(files.length / perPage));
      const link = linkHeader(selfUrl, query, page, last);
      const additions = files.reduce((n, f) => n + f.additions, 0);
      const deletions = files.reduce((n, f) => n + f.deletions, 0);
      return {
        status: 200,
        headers: link ? { link } : {},
        body: {
          ...commitJson(repo, c),
          stats: { total: additions + deletions, additions, deletions },
          files: files.slice((page - 1) * perPage, page * perPage).map((f) => fileJson(repo, sha, f)),
        },
      };
    }

    // blobs
    if (method === "GET" && (m = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(rest))) {
      const content = git.blobs.get(m[1]!);
      if (content === undefined) throw notFound();
      if (/raw/.test(String(headers.accept ?? ""))) return { status: 200, body: content, raw: true };
      return {
        status: 200,
        body: {
          sha: m[1],
          node_id: `B_fake${m[1]!.slice(0, 12)}`,
          size: Buffer.byteLength(content),
          url: selfUrl,
          content: base64Lines(content),
          encoding: "base64",
        },
      };
    }

    // contents
    if (method === "GET" && (m = /^\/contents\/(.+)$/.exec(rest))) {
      const filePath = m[1]!.replace(/\/+$/, "");
      const raw = /raw/.test(String(headers.accept ?? ""));
      let content: string | undefined;
      let dir: string[] = [];
      if (filePath === ".github/crisp-guard.yml" && repo.config !== null) {
        content = repo.config;
      } else {
        const sha = git.resolve(query.ref ?? repo.defaultBranch);
        if (!sha) throw notFound();
        const tree = git.commits.get(sha)!.tree;
        content = tree.get(filePath);
        if (content === undefined) dir = [...tree.keys()].filter((p) => p.startsWith(`${filePath}/`));
      }
      if (content === undefined) {
        if (dir.length === 0) throw notFound();
        const names = [...new Set(dir.map((p) => p.slice(filePath.length + 1).split("/")[0]!))].sort();
        return {
          status: 200,
          body: names.map((name) => ({ name, path: `${filePath}/${name}`, type: dir.includes(`${filePath}/${name}`) ? "file" : "dir" })),
        };
      }
      if (raw) return { status: 200, body: content, raw: true };
      const blob = gitBlobSha(content);
      return {
        status: 200,
        body: {
          type: "file",
          encoding: "base64",
          size: Buffer.byteLength(content),
          name: filePath.split("/").pop(),
          path: filePath,
          content: base64Lines(content),
          sha: blob,
          url: selfUrl,
          git_url: `${ctx.apiUrl}/repos/${repo.fullName}/git/blobs/${blob}`,
          html_url: `${ctx.htmlUrl}/${repo.fullName}/blob/${query.ref ?? repo.defaultBranch}/${filePath}`,
          download_url: `${ctx.htmlUrl}/${repo.fullName}/raw/${query.ref ?? repo.defaultBranch}/${filePath}`,
        },
      };
    }

    // check runs
    if (method === "POST" && rest === "/check-runs") {
      if (typeof body.name !== "string" || body.name === "") throw validation("name", "name is missing", "missing_field");
      if (typeof body.head_sha !== "string") throw validation("head_sha", "head_sha is missing", "missing_field");
      const c = commitOr422(repo, body.head_sha);
      const status = (body.status as string | undefined) ?? "queued";
      if (status === "completed" && typeof body.conclusion !== "string") {
        throw validation("conclusion", "conclusion is required when status is completed", "missing_field");
      }
      const run: FakeCheckRun = {
        id: nextId++,
        name: body.name,
        head_sha: c.sha,
        status: typeof body.conclusion === "string" ? "completed" : status,
        conclusion: (body.conclusion as string | undefined) ?? null,
        details_url: (body.details_url as string | undefined) ?? null,
        external_id: (body.external_id as string | undefined) ?? null,
        output: { title: null, summary: null, text: null },
        annotations: [],
        annotationRequests: 0,
      };
      applyOutput(run, body.output as Record<string, unknown> | undefined);
      repo.checkRuns.push(run);
      return { status: 201, body: checkRunJson(repo, run) };
    }
    if ((m = /^\/check-runs\/(\d+)(\/annotations)?$/.exec(rest))) {
      const run = repo.checkRuns.find((c) => c.id === Number(m![1]));
      if (!run) throw notFound();
      if (method === "GET" && m[2]) return paged(run.annotations, query, selfUrl);
      if (method === "GET") return { status: 200, body: checkRunJson(repo, run) };
      if (method === "PATCH") {
        applyOutput(run, body.output as Record<string, unknown> | undefined);
        if (typeof body.status === "string") run.status = body.status;
        if (typeof body.conclusion === "string") {
          run.conclusion = body.conclusion;
          run.status = "completed";
        }
        if (typeof body.details_url === "string") run.details_url = body.details_url;
        return { status: 200, body: checkRunJson(repo, run) };
      }
    }

    // issues
    if (rest === "/issues") {
      if (method === "POST") {
        if (typeof body.title !== "string" || body.title === "") throw validation("title", "title is missing", "missing_field");
        const issue: FakeIssue = {
          id: nextId++,
          number: repo.issues.length + 1,
          title: body.title,
          body: (body.body as string | undefined) ?? null,
          state: "open",
          state_reason: null,
          labels: labelNames(body.labels),
          assignees: assigneesOrThrow(repo, body),
          user: botLogin,
          comments: [],
          created_at: now(),
          updated_at: now(),
          closed_at: null,
        };
        repo.issues.push(issue);
        return { status: 201, body: issueJson(repo, issue) };
      }
      if (method === "GET") {
        const state = query.state ?? "open";
        const labels = query.labels ? query.labels.split(",") : [];
        const list = repo.issues
          .filter((i) => state === "all" || i.state === state)
          .filter((i) => labels.every((l) => i.labels.includes(l)))
          .filter((i) => !query.creator || i.user === query.creator)
          .sort((a, b) => b.number - a.number);
        return paged(list.map((i) => issueJson(repo, i)), query, selfUrl);
      }
    }
    if ((m = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
      for (const issue of repo.issues) {
        const c = issue.comments.find((x) => x.id === Number(m![1]));
        if (!c) continue;
        if (method === "GET") return { status: 200, body: issueCommentJson(repo, issue, c) };
        if (method === "PATCH") {
          if (typeof body.body !== "string") throw validation("body", "body is missing", "missing_field");
          c.body = body.body;
          c.updated_at = now();
          return { status: 200, body: issueCommentJson(repo, issue, c) };
        }
      }
      throw notFound();
    }
    if ((m = /^\/issues\/(\d+)(\/comments|\/assignees)?$/.exec(rest))) {
      const issue = repo.issues.find((i) => i.number === Number(m![1]));
      if (!issue) throw notFound();
      if (m[2] === "/comments") {
        if (method === "GET") return paged(issue.comments.map((c) => issueCommentJson(repo, issue, c)), query, selfUrl);
        if (method === "POST") {
          if (typeof body.body !== "string" || body.body === "") throw validation("body", "body is missing", "missing_field");
          const c: FakeIssueComment = { id: nextId++, body: body.body, user: botLogin, created_at: now(), updated_at: now() };
          issue.comments.push(c);
          issue.updated_at = now();
          return { status: 201, body: issueCommentJson(repo, issue, c) };
        }
      } else if (m[2] === "/assignees") {
        if (method === "POST") {
          issue.assignees = [...new Set([...issue.assignees, ...assigneesOrThrow(repo, body)])];
          return { status: 201, body: issueJson(repo, issue) };
        }
      } else {
        if (method === "GET") return { status: 200, body: issueJson(repo, issue) };
        if (method === "PATCH") {
          if (typeof body.title === "string") issue.title = body.title;
          if (typeof body.body === "string") issue.body = body.body;
          if (body.labels !== undefined) issue.labels = labelNames(body.labels);
          if (body.assignees !== undefined) issue.assignees = assigneesOrThrow(repo, body);
          if (body.state === "closed" || body.state === "open") {
            issue.state = body.state;
            issue.closed_at = body.state === "closed" ? now() : null;
            issue.state_reason =
              body.state === "closed" ? ((body.state_reason as string | undefined) ?? "completed") : body.state_reason === undefined ? "reopened" : (body.state_reason as string | null);
          }
          issue.updated_at = now();
          return { status: 200, body: issueJson(repo, issue) };
        }
      }
    }
    throw notFound();
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const rawPath = url.pathname.replace(/^\/api\/v3(?=\/|$)/, "") || "/";
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      path = rawPath;
    }
    const query = Object.fromEntries(url.searchParams.entries());
    const text = await readBody(req);
    let body: unknown = null;
    try {
      body = text === "" ? null : JSON.parse(text);
    } catch {
      body = text;
    }
    const method = (req.method ?? "GET").toUpperCase();
    const recorded: RecordedRequest = { method, path, query, headers: req.headers, body };
    requests.push(recorded);

    const send = (reply: Reply): void => {
      const headers: Record<string, string> = {
        "x-github-media-type": "github.v3; format=json",
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "4999",
        "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
        ...(reply.headers ?? {}),
      };
      if (reply.status === 204 || reply.body === null) {
        res.writeHead(reply.status, headers).end();
      } else if (reply.raw) {
        res.writeHead(reply.status, { ...headers, "content-type": "application/vnd.github.raw; charset=utf-8" }).end(reply.body);
      } else {
        res.writeHead(reply.status, { ...headers, "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(reply.body));
      }
    };

    const rule = failures.find(
      (f) =>
        (f.method === undefined || f.method.toUpperCase() === method) &&
        (typeof f.path === "string" ? f.path === path : f.path.test(path)),
    );
    if (rule) {
      rule.times = (rule.times ?? 1) - 1;
      if (rule.times <= 0) failures.splice(failures.indexOf(rule), 1);
      send({ status: rule.status, body: rule.body ?? { message: `fake failure ${rule.status}` }, headers: rule.headers });
      return;
    }

    const hold = holds.find(
      (h) => h.method.toUpperCase() === method && (typeof h.path === "string" ? h.path === path : h.path.test(path)),
    );
    if (hold) {
      holds.splice(holds.indexOf(hold), 1);
      route(method, path, query, (body && typeof body === "object" ? body : {}) as Record<string, unknown>, req.headers);
      hold.performed(recorded);
      return; // no answer: the connection stays open until the caller goes away or close()
    }
    try {
      send(route(method, path, query, (body && typeof body === "object" ? body : {}) as Record<string, unknown>, req.headers));
    } catch (error) {
      if (error instanceof HttpError) {
        send({
          status: error.status,
          body: { message: error.message, documentation_url: "https://docs.github.com/rest", status: String(error.status), ...error.extra },
        });
      } else {
        send({ status: 500, body: { message: error instanceof Error ? error.message : String(error) } });
      }
    }
  };

  /** /owner/repo.git/…: git's smart HTTP for a git-backed repository, an issued token required. */
  const handleGit = (req: IncomingMessage, res: ServerResponse, owner: string, name: string, pathInfo: string, query: string): void => {
    const given = tokenOfHeader(req.headers.authorization);
    const authorized = given !== null && issuedTokens.has(given);
    gitRequests.push({ method: req.method ?? "GET", url: req.url ?? "", repository: `${owner}/${name}`, authorized });
    const repo = repos.get(`${owner}/${name}`.toLowerCase());
    if (!authorized) return refuseGit(res);
    if (!repo?.gitDir) {
      res.writeHead(404).end();
      return;
    }
    serveGitHttpBackend(req, res, gitRoot, `/${repo.owner}/${repo.name}.git${pathInfo}`, query);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const git = /^\/([^/]+)\/([^/]+)\.git(\/.*)$/.exec(url.pathname);
    if (git && !url.pathname.startsWith("/api/")) {
      handleGit(req, res, git[1]!, git[2]!, git[3]!, url.search.replace(/^\?/, ""));
      return;
    }
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  ctx.htmlUrl = `http://127.0.0.1:${port}`;
  ctx.apiUrl = `${ctx.htmlUrl}/api/v3`;

  return {
    url: ctx.htmlUrl,
    apiUrl: ctx.apiUrl,
    host: `127.0.0.1:${port}`,
    port,
    token,
    installationId,
    requests,
    gitRequests,
    repos,
    repo: getRepo,
    failNext(rule) {
      failures.push({ ...rule });
    },
    holdNext(rule) {
      return new Promise((performed) => holds.push({ ...rule, performed }));
    },
    requestsTo(method, path) {
      return requests.filter(
        (r) => r.method === method.toUpperCase() && (typeof path === "string" ? r.path === path : path.test(r.path)),
      );
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      });
    },
  };
}
