// Test harness for the app: a Probot with retries and throttling off (test/helpers/probot.ts), pino
// captured in memory, and a nock-backed GitHub (api.github.com) that records every request and
// routes it to handlers.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { pino } from "pino";
import type { Probot } from "probot";
import { createApp, type AppDeps, type CrispGuardApp } from "../../src/app/index.js";
import { openSqliteStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import { createVerifier } from "../../src/verify/verifier.js";
import { testProbot } from "../helpers/probot.js";
import { tempDir } from "../helpers/temp.js";

export const API = "https://api.github.com";
export const CRISP = "https://api.crisp.chat";
export const REPO = { owner: "octo-org", repo: "shop" };
export const BASE = `/repos/${REPO.owner}/${REPO.repo}`;
export const INSTALLATION = 4242;
export const AUTHOR = { name: "Mona Lisa", email: "mona@example.com", date: "2025-01-10T09:00:00Z" };

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8")) as Record<string, unknown>;
}

export interface Recorded {
  method: string;
  /** Path and query, percent-decoded. */
  path: string;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

export type Reply = [number, unknown] | [number, unknown, Record<string, string>];
export type Route = (match: RegExpExecArray, body: unknown) => Reply;

/** A GitHub on nock: routes are tried in order; an unrouted request answers 599 and is recorded. */
export class NockGitHub {
  readonly requests: Recorded[] = [];
  readonly routes: Array<{ method: string; pattern: RegExp; route: Route }> = [];
  nextId = 1000;

  constructor() {
    const scope = nock(API).persist();
    for (const method of ["get", "post", "patch", "put", "delete"] as const) {
      scope[method](() => true).reply(function (uri, body) {
        const path = decodeURIComponent(uri);
        const m = method.toUpperCase();
        return handle(m, path, body, this.req.headers);
      });
    }
    const handle = (method: string, path: string, body: unknown, headers: Record<string, string>): Reply => {
      this.requests.push({ method, path, body, headers });
      for (const r of this.routes) {
        if (r.method !== method) continue;
        const match = r.pattern.exec(path);
        if (match) return r.route(match, body);
      }
      return [599, { message: `unrouted ${method} ${path}` }];
    };
    this.on("POST", new RegExp(`^/app/installations/(\\d+)/access_tokens$`), () => [
      201,
      { token: "ghs_test", expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {} },
    ]);
  }

  on(method: string, pattern: RegExp, route: Route): this {
    this.routes.push({ method, pattern, route });
    return this;
  }

  /** The request lines, without the installation-token request. */
  calls(): string[] {
    return this.requests.filter((r) => !r.path.includes("/access_tokens")).map((r) => `${r.method} ${r.path}`);
  }

  /** No repository config anywhere (the repo's and the org's .github both 404). */
  noConfig(): this {
    return this.on("GET", /\/contents\/\.github\/crisp-guard\.yml/, () => [404, { message: "Not Found" }]);
  }

  config(yamlText: string): this {
    return this.on("GET", new RegExp(`^${BASE}/contents/\\.github/crisp-guard\\.yml`), () => [200, yamlText]).noConfig();
  }

  compare(base: string, head: string, shas: string[]): this {
    return this.on("GET", new RegExp(`^${BASE}/compare/${base}\\.\\.\\.${head}\\?per_page=100&page=(\\d+)$`), (m) => {
      const page = Number(m[1]);
      return [200, { total_commits: shas.length, commits: shas.slice((page - 1) * 100, page * 100).map((sha) => ({ sha })), files: [] }];
    });
  }

  commit(sha: string, files: Array<{ filename: string; status?: string; patch?: string; sha?: string }>): this {
    return this.on("GET", new RegExp(`^${BASE}/commits/${sha}\\?per_page=100&page=1$`), () => [
      200,
      {
        sha,
        commit: { author: AUTHOR, committer: AUTHOR, message: "…" },
        files: files.map((f) => ({ status: "added", sha: "b".repeat(40), changes: 3, ...f })),
      },
    ]);
  }

  /** Accepts commit comments and check runs (and check-run updates), answering with new ids. */
  acceptWrites(): this {
    this.on("POST", new RegExp(`^${BASE}/commits/([0-9a-f]{40})/comments$`), (m) => {
      const id = this.nextId++;
      return [201, { id, html_url: `https://github.com/${REPO.owner}/${REPO.repo}/commit/${m[1]}#commitcomment-${id}` }];
    });
    this.on("POST", new RegExp(`^${BASE}/check-runs$`), () => {
      const id = this.nextId++;
      return [201, { id, html_url: `https://github.com/${REPO.owner}/${REPO.repo}/runs/${id}` }];
    });
    this.on("PATCH", new RegExp(`^${BASE}/check-runs/(\\d+)$`), (m) => [200, { id: Number(m[1]), html_url: "" }]);
    return this;
  }

  bodiesTo(method: string, pattern: RegExp): Array<Record<string, unknown>> {
    return this.requests
      .filter((r) => r.method === method && pattern.test(r.path))
      .map((r) => (typeof r.body === "string" ? (JSON.parse(r.body) as Record<string, unknown>) : (r.body as Record<string, unknown>)));
  }
}

/** A .env added by a commit: the patch GitHub shows for a new 3-line file. */
export function envPatch(kp: { identifier: string; key: string }): string {
  return ["@@ -0,0 +1,3 @@", "+# Crisp", `+CRISP_TOKEN_IDENTIFIER=${kp.identifier}`, `+CRISP_TOKEN_KEY=${kp.key}`].join("\n");
}

/** Crisp on nock: the plugin tier accepts these identifiers; everything else is 401. */
export function crispAccepts(...identifiers: string[]): string[] {
  const seen: string[] = [];
  nock(CRISP)
    .persist()
    .get(() => true)
    .reply(function (uri) {
      const auth = String(this.req.headers.authorization ?? "");
      const decoded = Buffer.from(auth.replace(/^Basic /, ""), "base64").toString("utf8");
      const tier = String(this.req.headers["x-crisp-tier"] ?? "");
      seen.push(`${tier} ${uri}`);
      if (uri === "/v1/plugin/connect/account" && tier === "plugin" && identifiers.some((id) => decoded.startsWith(`${id}:`))) {
        return [200, { error: false, reason: "resolved", data: { plugin_id: "5a1f0000-0000-4000-8000-00000000cafe" } }];
      }
      return [401, { error: true, reason: "invalid_session", data: {} }];
    });
  return seen;
}

/** The verifier the app tests give the app: Crisp on nock, no retries, no rate limit in the way. */
export function nockVerifier(): ReturnType<typeof createVerifier> {
  return createVerifier({ baseUrl: new URL(`${CRISP}/v1/`), retries: 0, ratePerSecond: 1000 });
}

/** What each test of the app through probot.receive starts from: a new SQLite store in its own folder, a NockGitHub. */
export function freshApp(prefix: string): { dir: string; store: Store; gh: NockGitHub } {
  const dir = tempDir(prefix);
  return { dir, store: openSqliteStore(join(dir, "crisp-guard.db")), gh: new NockGitHub() };
}

/** After such a test: the app stopped if it was started, the store closed, every nock interceptor gone. */
export async function stopApp(harness: Harness | null, store: Store): Promise<void> {
  await harness?.guard.stop();
  await store.close();
  nock.cleanAll();
}

export interface Harness {
  probot: Probot;
  guard: CrispGuardApp;
  logs: string[];
  receive(id: string, payload: Record<string, unknown>): Promise<void>;
}

export async function startApp(deps: AppDeps): Promise<Harness> {
  const logs: string[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void logs.push(line) });
  const probot = testProbot(log);
  const guard = createApp(deps);
  await probot.load(guard.app);
  return {
    probot,
    guard,
    logs,
    receive: (id, payload) => probot.receive({ id, name: "push", payload } as never),
  };
}
