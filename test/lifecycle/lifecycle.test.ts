// The pure lifecycle: schedule, alarm threshold, state machine, "rotated once".
import { describe, expect, it } from "vitest";
import {
  CRISP_CACHE_MS,
  DAILY_RECHECKS,
  RECHECK_ATTEMPTS,
  RECHECK_DELAYS_MS,
  RECHECK_NOTES,
  STILL_LIVE_ALARM_MS,
  decideRecheck,
  isAlarmNote,
  isStillLiveAlarm,
  nextRecheck,
  nextState,
  recheckDueAt,
  shouldRotateSecret,
  startsRechecks,
  type SecretState,
} from "../../src/lifecycle/index.js";
import { RedactedKeypair } from "../../src/lifecycle/findings.js";
import { describeFailures, placesToRead } from "../../src/lifecycle/read-back.js";
import { issueFromRotations } from "../../src/lifecycle/recheck.js";
import { deadIssueComment, stillLiveIssueComment } from "../../src/lifecycle/notes.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = new Date("2026-03-01T12:00:00.000Z");
const at = (ms: number): Date => new Date(T0.getTime() + ms);

describe("re-check schedule", () => {
  it("is 15 min, 1 h, 6 h, 24 h after rotation, then daily for a week", () => {
    expect(RECHECK_DELAYS_MS).toEqual([15 * MIN, HOUR, 6 * HOUR, DAY, 2 * DAY, 3 * DAY, 4 * DAY, 5 * DAY, 6 * DAY, 7 * DAY, 8 * DAY]);
    expect(DAILY_RECHECKS).toBe(7);
    expect(RECHECK_ATTEMPTS).toBe(11);
  });

  it("waits out Crisp's ~10 min answer cache before the first re-check", () => {
    expect(CRISP_CACHE_MS).toBe(10 * MIN);
    expect(RECHECK_DELAYS_MS[0]!).toBeGreaterThan(CRISP_CACHE_MS);
  });

  it("nextRecheck walks the series from attempt 0 and ends after the last", () => {
    expect(nextRecheck(0, T0)).toEqual({ attempt: 1, dueAt: at(15 * MIN) });
    expect(nextRecheck(1, T0)).toEqual({ attempt: 2, dueAt: at(HOUR) });
    expect(nextRecheck(3, T0)).toEqual({ attempt: 4, dueAt: at(DAY) });
    expect(nextRecheck(4, T0)).toEqual({ attempt: 5, dueAt: at(2 * DAY) });
    expect(nextRecheck(10, T0)).toEqual({ attempt: 11, dueAt: at(8 * DAY) });
    expect(nextRecheck(11, T0)).toBeNull();

    const series: Date[] = [];
    for (let n = 0, next = nextRecheck(0, T0); next; n = next.attempt, next = nextRecheck(n, T0)) series.push(next.dueAt);
    expect(series).toHaveLength(RECHECK_ATTEMPTS);
    expect(series.every((d, i) => i === 0 || d > series[i - 1]!)).toBe(true);
  });

  it("after downtime, skips the attempts already past instead of running each to catch up", () => {
    expect(nextRecheck(1, T0, at(DAY + MIN))).toEqual({ attempt: 5, dueAt: at(2 * DAY) });
    expect(nextRecheck(1, T0, at(HOUR))).toEqual({ attempt: 3, dueAt: at(6 * HOUR) });
    expect(nextRecheck(1, T0, at(HOUR - 1))).toEqual({ attempt: 2, dueAt: at(HOUR) });
    expect(nextRecheck(2, T0, at(9 * DAY))).toBeNull();
  });

  it("recheckDueAt refuses attempts outside the schedule", () => {
    expect(recheckDueAt(0, T0)).toBeNull();
    expect(recheckDueAt(-1, T0)).toBeNull();
    expect(recheckDueAt(1.5, T0)).toBeNull();
    expect(recheckDueAt(12, T0)).toBeNull();
  });

  it("raises the still-live alarm from 24 h after rotation, not a millisecond before", () => {
    expect(STILL_LIVE_ALARM_MS).toBe(DAY);
    expect(isStillLiveAlarm(T0, at(DAY - 1))).toBe(false);
    expect(isStillLiveAlarm(T0, at(DAY))).toBe(true);
    expect(isStillLiveAlarm(T0, at(3 * DAY))).toBe(true);
  });
});

describe("decideRecheck", () => {
  const base = { attempt: 1, rotatedAt: T0, now: at(15 * MIN), alarmRaised: false };

  it("401 means dead, whatever the attempt", () => {
    expect(decideRecheck({ ...base, status: "dead" })).toEqual({ action: "dead" });
    expect(decideRecheck({ ...base, attempt: 11, now: at(8 * DAY), status: "dead" })).toEqual({ action: "dead" });
  });

  it("live before 24 h continues with the next attempt", () => {
    expect(decideRecheck({ ...base, status: "live" })).toEqual({ action: "continue", next: { attempt: 2, dueAt: at(HOUR) } });
  });

  it("a late attempt raises the alarm by the clock, not by its number, and skips past attempts", () => {
    expect(decideRecheck({ ...base, attempt: 2, now: at(DAY + MIN), status: "live" })).toEqual({
      action: "alarm",
      next: { attempt: 5, dueAt: at(2 * DAY) },
    });
  });

  it("live at 24 h raises the alarm once, then continues quietly", () => {
    const day = { ...base, attempt: 4, now: at(DAY) };
    expect(decideRecheck({ ...day, status: "live" })).toEqual({ action: "alarm", next: { attempt: 5, dueAt: at(2 * DAY) } });
    expect(decideRecheck({ ...day, status: "live", alarmRaised: true }).action).toBe("continue");
  });

  it("unknown never raises the alarm, and the last attempt has no next", () => {
    expect(decideRecheck({ ...base, attempt: 4, now: at(DAY), status: "unknown" }).action).toBe("continue");
    expect(decideRecheck({ ...base, attempt: 11, now: at(8 * DAY), status: "live", alarmRaised: true })).toEqual({
      action: "continue",
      next: null,
    });
  });

  it("remembers the alarm by its note", () => {
    expect(isAlarmNote(RECHECK_NOTES.alarm)).toBe(true);
    expect(isAlarmNote(RECHECK_NOTES.live)).toBe(false);
    expect(isAlarmNote(null)).toBe(false);
  });
});

describe("state machine", () => {
  const ALL: SecretState[] = ["detected", "live", "unknown", "rotation_requested", "rotated", "dead"];

  it("detected → live → rotation_requested → dead", () => {
    let s: SecretState = "detected";
    s = nextState(s, { type: "verified", status: "live" });
    expect(s).toBe("live");
    s = nextState(s, { type: "rotation", status: "requested" });
    expect(s).toBe("rotation_requested");
    s = nextState(s, { type: "verified", status: "live" });
    expect(s).toBe("rotation_requested");
    s = nextState(s, { type: "verified", status: "dead" });
    expect(s).toBe("dead");
  });

  it("a rotator that rolled the key itself goes to rotated, and a later 'requested' does not undo it", () => {
    expect(nextState("live", { type: "rotation", status: "rotated" })).toBe("rotated");
    expect(nextState("rotated", { type: "rotation", status: "requested" })).toBe("rotated");
    expect(nextState("rotated", { type: "verified", status: "dead" })).toBe("dead");
  });

  it("dead is terminal", () => {
    for (const status of ["live", "unknown", "unverified"] as const) {
      expect(nextState("dead", { type: "verified", status })).toBe("dead");
    }
    expect(nextState("dead", { type: "rotation", status: "rotated" })).toBe("dead");
  });

  it("any state goes dead on a 401", () => {
    for (const s of ALL) expect(nextState(s, { type: "verified", status: "dead" })).toBe("dead");
  });

  it("unknown only moves a fresh secret; failed or skipped rotations change nothing", () => {
    expect(nextState("detected", { type: "verified", status: "unknown" })).toBe("unknown");
    expect(nextState("live", { type: "verified", status: "unknown" })).toBe("live");
    expect(nextState("unknown", { type: "verified", status: "live" })).toBe("live");
    expect(nextState("detected", { type: "verified", status: "unverified" })).toBe("detected");
    for (const s of ALL) {
      expect(nextState(s, { type: "rotation", status: "failed" })).toBe(s);
      expect(nextState(s, { type: "rotation", status: "skipped" })).toBe(s);
    }
  });

  it("only requested or rotated start the re-checks", () => {
    expect(startsRechecks("requested")).toBe(true);
    expect(startsRechecks("rotated")).toBe(true);
    expect(startsRechecks("failed")).toBe(false);
    expect(startsRechecks("skipped")).toBe(false);
  });
});

describe("shouldRotateSecret: a secret is rotated once", () => {
  it("follows `when` for a secret with no rotation under way", () => {
    for (const state of [undefined, "detected", "live", "unknown"] as const) {
      expect(shouldRotateSecret(state, "live", "live")).toBe(true);
      expect(shouldRotateSecret(state, "unknown", "live")).toBe(false);
      expect(shouldRotateSecret(state, "unknown", "live-or-unknown")).toBe(true);
      expect(shouldRotateSecret(state, "live", "never")).toBe(false);
      expect(shouldRotateSecret(state, "unverified", "live-or-unknown")).toBe(false);
      expect(shouldRotateSecret(state, "dead", "live-or-unknown")).toBe(false);
    }
  });

  it("never again once rotation was requested, done, or the key is dead", () => {
    for (const state of ["rotation_requested", "rotated", "dead"] as const) {
      expect(shouldRotateSecret(state, "live", "live")).toBe(false);
      expect(shouldRotateSecret(state, "unknown", "live-or-unknown")).toBe(false);
    }
  });
});

describe("helpers", () => {
  it("RedactedKeypair shows the stored redacted halves and reveals nothing", () => {
    const fp = "ab".repeat(32);
    const kp = new RedactedKeypair({ fingerprint: fp, redactedIdentifier: "7c3ef21c…", keyHint: "…0a0a" });
    expect(kp.fingerprint).toBe(fp);
    expect(kp.redacted).toBe("7c3ef21c…:…0a0a");
    expect(kp.reveal()).toEqual({ identifier: "", key: "" });
    expect(JSON.stringify(kp)).toContain(fp);
  });

  it("finds the leak issue from the github-issue rotator's outcome URL", () => {
    const row = (rotator: string, url?: string) => ({ rotator, status: "requested" as const, detail: "", recordedAt: "", ...(url ? { url } : {}) });
    expect(issueFromRotations([row("webhook", "https://x/acme/web/issues/3"), row("github-issue", "https://github.com/my-org/security/issues/42")])).toEqual({
      repository: "my-org/security",
      number: 42,
    });
    expect(issueFromRotations([row("github-issue", "http://127.0.0.1:3000/acme/web/issues/7#issuecomment-1")])).toEqual({ repository: "acme/web", number: 7 });
    expect(issueFromRotations([row("github-issue")])).toBeNull();
  });

  it("reads each place once, newest recorded first", () => {
    const o = (commit: string, path: string, line: number) => ({ repository: "acme/web", commit, path, line, column: 1, encoding: "plain" as const, recordedAt: "" });
    const places = placesToRead([o("a", "x.js", 1), o("a", "x.js", 9), o("b", "x.js", 1), o("a", "y.js", 2)]);
    expect(places.map((p) => `${p.commit}:${p.path}`)).toEqual(["a:y.js", "b:x.js", "a:x.js"]);
  });

  it("describes read failures in one line", () => {
    expect(describeFailures([])).toMatch(/no recorded place/);
    const f = { repository: "acme/web", commit: "c".repeat(40), path: "a.env", status: 404, reason: "GitHub answered HTTP 404: Not Found", permanent: true };
    expect(describeFailures([f, f, f])).toBe("keypair no longer readable: acme/web:a.env@ccccccc: GitHub answered HTTP 404: Not Found (and 2 more places)");
  });

  it("issue notes say rotated or still live, with hours and roll steps", () => {
    const input = { redacted: "7c3ef21c…:…0a0a", tier: "plugin" as const, websiteId: null, rotatedAt: T0.toISOString() };
    expect(deadIssueComment({ ...input, deadSince: at(HOUR).toISOString() })).toContain("HTTP 401 since 2026-03-01T13:00:00.000Z");
    const loud = stillLiveIssueComment({ ...input, checkedAt: at(DAY + 30 * MIN).toISOString() });
    expect(loud).toContain("Still live after 24 h");
    expect(loud).toContain("Marketplace");
  });
});
