// Backfills in one process: an installation webhook through probot.receive, GitHub's REST API on
// nock, the repositories served over git's smart HTTP on 127.0.0.1 (git http-backend) refusing
// requests without the installation token. What the history check run says, where it annotates,
// what is skipped and why, and that a repository is backfilled once.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import nock from "nock";
import { fingerprint } from "../../src/detect/fingerprint.js";
import { scanHistoryInThread } from "../../src/sources/git/history-thread.js";
import type { Store } from "../../src/store/types.js";
import { startFakeGitHost, type FakeGitHost } from "../helpers/fake-git-http.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { NockGitHub, crispAccepts, freshApp, nockVerifier, startApp, stopApp, type Harness } from "./harness.js";

/** The installation token NockGitHub hands out. */
const INSTALLATION_TOKEN = "ghs_test";
const OWNER = "octo-org";
const INSTALLATION = 4242;

let dir: string;
let store: Store;
let gh: NockGitHub;
let harness: Harness | null;
let host: FakeGitHost;

beforeAll(() => nock.enableNetConnect("127.0.0.1"));
beforeEach(async () => {
  ({ dir, store, gh } = freshApp("crisp-guard-backfill-"));
  harness = null;
  host = await startFakeGitHost(INSTALLATION_TOKEN);
});
afterEach(async () => {
  await stopApp(harness, store);
  await host.close();
});

const env = (kp: { identifier: string; key: string }) => `PORT=3000\nCRISP_IDENTIFIER=${kp.identifier}\nCRISP_KEY=${kp.key}\n`;

/** GitHub's REST view of the repositories: GET /repos (size, archived, default branch), writes accepted. */
function routes(repos: Record<string, { size?: number; archived?: boolean; config?: string }>): void {
  for (const [name, r] of Object.entries(repos)) {
    gh.on("GET", new RegExp(`^/repos/${OWNER}/${name}$`), () => [
      200,
      { name, full_name: `${OWNER}/${name}`, owner: { login: OWNER }, size: r.size ?? 10, archived: r.archived ?? false, default_branch: "main" },
    ]);
    if (r.config) gh.on("GET", new RegExp(`^/repos/${OWNER}/${name}/contents/\\.github/crisp-guard\\.yml`), () => [200, r.config]);
  }
  gh.noConfig();
  gh.on("POST", new RegExp(`^/repos/${OWNER}/([^/]+)/check-runs$`), () => [201, { id: gh.nextId++, html_url: "" }]);
  gh.on("POST", new RegExp(`^/repos/${OWNER}/([^/]+)/commits/([0-9a-f]{40})/comments$`), () => [201, { id: gh.nextId++, html_url: "" }]);
}

function added(names: string[]) {
  return {
    action: "added",
    installation: { id: INSTALLATION, account: { login: OWNER }, repository_selection: "selected" },
    repositories_added: names.map((n) => ({ full_name: `${OWNER}/${n}` })),
    repositories_removed: [],
  };
}

async function deliver(id: string, payload: unknown): Promise<void> {
  await harness!.probot.receive({ id, name: "installation_repositories", payload } as never);
  await harness!.guard.idle();
}

const lines = () => harness!.logs.map((l) => JSON.parse(l) as Record<string, unknown>);

describe("a backfill", () => {
  it("scans the whole history: a failing 'Crisp Guard: history' run on the head, annotated only where a keypair still is", async () => {
    const gone = randomKeypair();
    const kept = randomKeypair();
    const shas = host.repository(OWNER, "shop", [
      { "README.md": "# shop\n" },
      { ".env": env(gone) },
      { "src/index.js": "export {};\n" },
      { ".env": null }, // deleted since: still in the history, not in the head
      { "config/crisp.env": `CRISP_TIER=plugin\n${env(kept)}` },
      { "src/index.js": "export const x = 1;\n" },
    ]);
    routes({ shop: {} });
    crispAccepts(gone.identifier); // the deleted one is still live; the kept one is dead (401)

    harness = await startApp({ store, verifier: nockVerifier(), gitUrl: host.url });
    await deliver("delivery-added-1", added(["shop"]));

    const [run, ...more] = gh.bodiesTo("POST", /\/check-runs$/);
    expect(more).toEqual([]);
    expect(run).toMatchObject({ name: "Crisp Guard: history", head_sha: shas.at(-1), conclusion: "failure", status: "completed" });
    const output = run!.output as { title: string; annotations: Array<Record<string, unknown>> };
    expect(output.title).toBe("2 Crisp token keypairs in the history: 1 live, 1 dead");
    expect(output.annotations).toEqual([expect.objectContaining({ path: "config/crisp.env", start_line: 4, annotation_level: "warning" })]);
    // No comment on old commits by default.
    expect(gh.bodiesTo("POST", /\/comments$/)).toEqual([]);

    const fpGone = fingerprint(gone.identifier, gone.key);
    expect(await store.occurrencesOf(fpGone)).toEqual([
      // The author by name: the store holds no e-mail address.
      expect.objectContaining({ repository: `${OWNER}/shop`, path: ".env", line: 3, commit: shas[1], author: "Test" }),
    ]);
    expect((await store.getSecret(fpGone))?.state).toBe("live");
    expect(await store.getBackfill(`${OWNER}/shop`)).toMatchObject({
      status: "done", headSha: shas.at(-1), commits: 6, findings: 2, incomplete: false, reason: null,
    });
    expect(lines().find((l) => l.msg === "backfill progress")).toMatchObject({ installationId: INSTALLATION, done: 1, total: 1 });
    expect(lines().find((l) => l.msg === "repository backfilled")).toMatchObject({ repository: `${OWNER}/shop`, findings: 2, live: 1 });

    // git had the token in a header only; no log line, request body or the store holds a key or the token.
    expect(host.requests.every((r) => r.authorization !== undefined && !r.url.includes(INSTALLATION_TOKEN))).toBe(true);
    const everything = [harness.logs.join("\n"), JSON.stringify(gh.requests.map((r) => r.body)), readFileSync(join(dir, "crisp-guard.db"), "latin1")].join("\n");
    for (const kp of [gone, kept]) expect(holdsRaw(everything, kp)).toBe(false);
    expect(harness.logs.join("\n")).not.toContain(INSTALLATION_TOKEN);
  });

  it("is done once: the same repository added again is not cloned or scanned again", async () => {
    host.repository(OWNER, "shop", [{ "README.md": "# shop\n" }]);
    routes({ shop: {} });
    harness = await startApp({ store, verifier: nockVerifier(), gitUrl: host.url });
    await deliver("delivery-added-1", added(["shop"]));
    const fetches = host.requests.length;
    expect(fetches).toBeGreaterThan(0);
    await deliver("delivery-added-2", added(["shop"]));
    expect(host.requests.length).toBe(fetches);
    expect(gh.bodiesTo("POST", /\/check-runs$/)).toHaveLength(1);
    expect(lines().filter((l) => l.msg === "backfills requested").map((l) => [l.queued, l.alreadyBackfilled])).toEqual([[1, 0], [0, 1]]);
  });

  it("skips a repository over the size limit without cloning it, records why; an archived one is scanned but not written to", async () => {
    const kp = randomKeypair();
    host.repository(OWNER, "huge", [{ "README.md": "# huge\n" }]);
    host.repository(OWNER, "old", [{ ".env": env(kp) }]);
    routes({ huge: { size: 5_000_000 }, old: { archived: true } });
    crispAccepts(kp.identifier);
    harness = await startApp({ store, verifier: nockVerifier(), gitUrl: host.url });
    await deliver("delivery-added-1", added(["huge", "old"]));

    expect(host.requests.some((r) => r.url.includes("/huge.git"))).toBe(false);
    expect(await store.getBackfill(`${OWNER}/huge`)).toMatchObject({ status: "skipped", reason: "larger than the backfill limit: 5000000 KB (limit 1048576 KB)" });
    expect(await store.getBackfill(`${OWNER}/old`)).toMatchObject({ status: "done", findings: 1, reason: "archived: read-only, so no check run or comments" });
    expect(gh.bodiesTo("POST", /\/check-runs$/)).toEqual([]);
    expect((await store.getSecret(fingerprint(kp.identifier, kp.key)))?.state).toBe("live");
    expect(await store.backfillProgress(INSTALLATION)).toMatchObject({ total: 2, done: 1, skipped: 1 });
  });

  it("comments on the commits that introduced a keypair only when the repository asks for it", async () => {
    const kp = randomKeypair();
    const shas = host.repository(OWNER, "shop", [{ "README.md": "# shop\n" }, { ".env": env(kp) }, { "README.md": "# shop!\n" }]);
    routes({ shop: { config: "backfill: { commitComments: true }\n" } });
    crispAccepts(kp.identifier);
    harness = await startApp({ store, verifier: nockVerifier(), gitUrl: host.url });
    await deliver("delivery-added-1", added(["shop"]));
    expect(gh.calls().filter((c) => c.startsWith("POST") && c.endsWith("/comments"))).toEqual([`POST /repos/${OWNER}/shop/commits/${shas[1]}/comments`]);
    expect(await store.commentsOf(fingerprint(kp.identifier, kp.key))).toHaveLength(1);
  });

  it("an empty repository is done at once, with no check run", async () => {
    host.repository(OWNER, "empty", []);
    routes({ empty: { size: 0 } });
    harness = await startApp({ store, verifier: nockVerifier(), gitUrl: host.url });
    await deliver("delivery-added-1", added(["empty"]));
    expect(await store.getBackfill(`${OWNER}/empty`)).toMatchObject({ status: "done", commits: 0, reason: "empty repository: nothing to scan" });
    expect(gh.bodiesTo("POST", /\/check-runs$/)).toEqual([]);
  });

  it("a history with unreadable objects is never green, and is not followed by the re-checks", async () => {
    const kp = randomKeypair();
    host.repository(OWNER, "shop", [{ "config/crisp.env": `CRISP_TIER=plugin\n${env(kp)}` }]);
    routes({ shop: {} });
    // As if the repository lacked an object (a damaged mirror): the scan reports it.
    const historyScan = async (gitDir: string) => ({ ...(await scanHistoryInThread(gitDir)), missingObjects: [{ id: "d".repeat(40) }] });
    harness = await startApp({ store, verifier: nockVerifier(), gitUrl: host.url, historyScan });
    crispAccepts(); // the keypair is dead
    await deliver("delivery-added-1", added(["shop"]));
    const [run] = gh.bodiesTo("POST", /\/check-runs$/);
    expect(run).toMatchObject({ name: "Crisp Guard: history", conclusion: "neutral" });
    expect(String((run!.output as { summary: string }).summary)).toContain("1 object the history reaches could not be read");
    expect(await store.getBackfill(`${OWNER}/shop`)).toMatchObject({ status: "done", incomplete: true });
    // Not recorded for the re-checks, which would turn it green once its keypairs are dead.
    expect(await store.checkRunsOf(fingerprint(kp.identifier, kp.key))).toEqual([]);
  });
});
