// Pure parts of the app: environment settings, the per-installation content queue, the scan-gap note.
import { describe, expect, it } from "vitest";
import { createContentQueues } from "../../src/app/content-queue.js";
import { AppEnvError, DEFAULT_DB_PATH, readAppSettings } from "../../src/app/env.js";
import { invalidPush } from "../../src/app/push-handler.js";
import { MAX_GAPS_LISTED, appendIncompleteNote, incompleteNote, withIncompleteScan } from "../../src/app/report-notes.js";
import { CHECK_RUN_SUMMARY_MAX_CHARS } from "../../src/report/github-text.js";
import { pickPushPayload } from "../../src/store/push-payload.js";
import { fixture } from "./harness.js";

describe("readAppSettings", () => {
  it("defaults: ./data/crisp-guard.db, no server config, github.com", () => {
    expect(readAppSettings({})).toEqual({
      dbPath: DEFAULT_DB_PATH,
      databaseUrl: null,
      serverConfigPath: null,
      crispApiUrl: undefined,
      githubUrl: "https://github.com",
      production: false,
      role: "all",
      shutdownGraceMs: 25_000,
      jobExpireSeconds: undefined,
    });
    expect(DEFAULT_DB_PATH).toBe("./data/crisp-guard.db");
  });

  it("reads the role, the grace period and the job expiry; web and worker need Postgres", () => {
    const pg = { DATABASE_URL: "postgres://u:p@db:5432/guard" };
    expect(readAppSettings({ ...pg, CRISP_GUARD_ROLE: "Worker", CRISP_GUARD_SHUTDOWN_GRACE_SECONDS: "5", CRISP_GUARD_JOB_EXPIRE_SECONDS: "30" }))
      .toMatchObject({ role: "worker", shutdownGraceMs: 5000, jobExpireSeconds: 30 });
    expect(readAppSettings({ ...pg, CRISP_GUARD_ROLE: "web" }).role).toBe("web");
    expect(readAppSettings({ CRISP_GUARD_ROLE: "all" }).role).toBe("all");
    expect(() => readAppSettings({ CRISP_GUARD_ROLE: "web" })).toThrow(/role web needs DATABASE_URL .*only role all/);
    expect(() => readAppSettings({ CRISP_GUARD_ROLE: "worker" })).toThrow(/role worker needs DATABASE_URL/);
    expect(() => readAppSettings({ ...pg, CRISP_GUARD_ROLE: "boss" })).toThrow(/CRISP_GUARD_ROLE must be one of all, web, worker/);
    expect(() => readAppSettings({ ...pg, CRISP_GUARD_JOB_EXPIRE_SECONDS: "0" })).toThrow(/at least 1/);
    expect(() => readAppSettings({ CRISP_GUARD_SHUTDOWN_GRACE_SECONDS: "-3" })).toThrow(/whole number of seconds/);
  });

  it("reads CRISP_GUARD_DB, CRISP_GUARD_CONFIG, CRISP_API_URL and the GHE host", () => {
    const s = readAppSettings({
      CRISP_GUARD_DB: "/var/lib/cg.db",
      CRISP_GUARD_CONFIG: "/etc/cg.yml",
      CRISP_API_URL: "http://127.0.0.1:9/v1/",
      GHE_HOST: "ghe.example.com",
    });
    expect(s).toMatchObject({ dbPath: "/var/lib/cg.db", serverConfigPath: "/etc/cg.yml", crispApiUrl: "http://127.0.0.1:9/v1/", githubUrl: "https://ghe.example.com" });
    expect(readAppSettings({ GHE_HOST: "127.0.0.1:8080", GHE_PROTOCOL: "http" }).githubUrl).toBe("http://127.0.0.1:8080");
  });

  it("DATABASE_URL selects Postgres; anything but a postgres:// URL is refused without echoing it", () => {
    expect(readAppSettings({ DATABASE_URL: "postgres://cg:pw@db:5432/cg" }).databaseUrl).toBe("postgres://cg:pw@db:5432/cg");
    expect(readAppSettings({ DATABASE_URL: "postgresql://db/cg", CRISP_GUARD_DB: "/x.db" })).toMatchObject({
      databaseUrl: "postgresql://db/cg",
      dbPath: "/x.db",
    });
    expect(readAppSettings({ DATABASE_URL: "  " }).databaseUrl).toBeNull();
    expect(() => readAppSettings({ DATABASE_URL: "mysql://u:pw@db/cg" })).toThrow(/must be a postgres:\/\/ URL \(got mysql:\/\/…\)/);
    let message = "";
    try {
      readAppSettings({ DATABASE_URL: "not a url with secret-pw" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/DATABASE_URL is not a URL/);
    expect(message).not.toContain("secret-pw");
  });

  it("refuses production without WEBHOOK_SECRET (empty counts as unset), accepts it with one", () => {
    expect(() => readAppSettings({ NODE_ENV: "production" })).toThrow(AppEnvError);
    expect(() => readAppSettings({ NODE_ENV: "production", WEBHOOK_SECRET: "  " })).toThrow(/WEBHOOK_SECRET is not set/);
    expect(readAppSettings({ NODE_ENV: "production", WEBHOOK_SECRET: "s3cret" }).production).toBe(true);
    expect(() => readAppSettings({ NODE_ENV: "development" })).not.toThrow();
  });
});

describe("content queues", () => {
  it("one installation's tasks run one at a time, in order; another installation's run alongside", async () => {
    const q = createContentQueues();
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a1 = q.run(1, async () => {
      events.push("a1 start");
      await gate;
      events.push("a1 end");
      return "a1";
    });
    const a2 = q.run(1, async () => {
      events.push("a2 start");
      return "a2";
    });
    const b1 = q.run(2, async () => {
      events.push("b1 start");
      return "b1";
    });
    await b1;
    expect(events).toEqual(["a1 start", "b1 start"]);
    release();
    expect(await Promise.all([a1, a2])).toEqual(["a1", "a2"]);
    expect(events).toEqual(["a1 start", "b1 start", "a1 end", "a2 start"]);
  });

  it("a failing task rejects its own promise and does not stop the next", async () => {
    const q = createContentQueues();
    const failed = q.run(1, async () => {
      throw new Error("422");
    });
    await expect(failed).rejects.toThrow("422");
    await expect(q.run(1, async () => "next")).resolves.toBe("next");
  });
});

describe("invalidPush", () => {
  it("accepts the fixtures' shapes and names what is missing", () => {
    for (const name of ["fast-forward", "created-branch", "forced", "tag", "deleted", "300-commits"]) {
      expect(invalidPush(pickPushPayload(fixture(`push.${name}.json`))), name).toBeNull();
    }
    expect(invalidPush(pickPushPayload({ ref: "refs/heads/main", before: "0".repeat(40), after: "a".repeat(40) }))).toBe("no repository owner/name");
    const base = pickPushPayload(fixture("push.fast-forward.json"));
    expect(invalidPush({ ...base, after: "HEAD" })).toBe("after is not a commit id");
    expect(invalidPush({ ...base, ref: "main" })).toBe("no ref");
    expect(invalidPush({ ...base, repo: ".." })).toMatch(/^repository name is not a GitHub repository name/);
    expect(invalidPush({ ...base, owner: ".." })).toMatch(/^repository owner is not a GitHub account name/);
    expect(invalidPush({ ...base, owner: "a.b" })).toMatch(/^repository owner/);
  });
});

describe("scan-gap note", () => {
  it("lists gaps by commit and path, at most MAX_GAPS_LISTED, counting the rest", () => {
    expect(incompleteNote([])).toBe("");
    const gaps = Array.from({ length: MAX_GAPS_LISTED + 3 }, (_, i) => ({ commit: "a".repeat(40), path: `f${i}.bin`, reason: "blob could not be read (404)" }));
    const note = incompleteNote(gaps);
    expect(note).toContain("#### Scan incomplete");
    expect(note).toContain("- `aaaaaaaaaaaa` `f0.bin`: blob could not be read (404)");
    expect(note).not.toContain(`f${MAX_GAPS_LISTED}.bin`);
    expect(note).toContain("… and 3 more");
  });

  it("keeps the summary under GitHub's 65535 characters, note included", () => {
    const long = "x".repeat(CHECK_RUN_SUMMARY_MAX_CHARS);
    const out = appendIncompleteNote(long, [{ reason: "the commit changes 3000 files or more; GitHub lists no more" }]);
    expect(out.length).toBeLessThanOrEqual(CHECK_RUN_SUMMARY_MAX_CHARS);
    expect(out).toMatch(/GitHub lists no more$/);
    expect(appendIncompleteNote("short", [])).toBe("short");
  });

  it("never lets an incomplete scan pass as a clean push", () => {
    const clean = { conclusion: "success" as const, title: "No Crisp token keypair found", summary: "ok", annotations: [] };
    const gap = [{ reason: "blob could not be read (404)" }];
    expect(withIncompleteScan(clean, [])).toBe(clean);
    expect(withIncompleteScan(clean, gap)).toMatchObject({ conclusion: "neutral", title: expect.stringContaining("incomplete") });
    const failing = { ...clean, conclusion: "failure" as const, title: "1 live" };
    expect(withIncompleteScan(failing, gap)).toMatchObject({ conclusion: "failure", title: "1 live" });
  });
});
