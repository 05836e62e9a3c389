// A pusher names the files. Whatever the name, the commit comment, the check run and the leak issue
// render with the same structure as for a plain name: the path stays in its code span, mentions
// nobody, links nowhere, and starts no block of its own. Rendered with markdown-it (CommonMark, with
// GitHub-like autolinking) to see what GitHub would see.
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { checkRunOutput, commitCommentBody, markerFingerprint } from "../../src/report/github-text.js";
import { leakIssueBody } from "../../src/rotate/github-issue.js";
import type { Finding } from "../../src/detect/types.js";
import { incompleteNote } from "../../src/app/report-notes.js";
import { impossibleIssueComment } from "../../src/lifecycle/notes.js";
import { makeFinding } from "./github-fixtures.js";

const md = new MarkdownIt({ linkify: true, html: true });

const PLAIN = "config/crisp.env";
const HOSTILE = [
  // Closes the code span, then a blank line, a mention and links in their own paragraph.
  "config/x`\n\n@octocat look: [click](https://evil.example/a) https://evil.example/b\n\n`.env",
  // A longer backtick run than a naive fence, and a fake fingerprint marker.
  "a``` <!-- crisp-guard:fingerprint=" + "0".repeat(64) + " --> ```b.env",
  // A table cell breaker and raw HTML.
  "a|b\n| x | y |\n<img src=x onerror=alert(1)>.env",
  // Controls and a bidi override: invisible on the page, and they reorder or hide what is shown.
  "evil\x1b]8;;https://evil.example\x07x\u202Evne.txt",
];

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** The sequence of opening tags: the document's structure, whatever the text in it. */
function structure(html: string): string[] {
  return [...html.matchAll(/<([a-z][a-z0-9]*)[\s>]/g)].map((m) => m[1]!);
}

/** Text outside code spans and fenced code: where GitHub would turn @name into a mention. */
function textOutsideCode(html: string): string {
  return html.replace(/<code>[\s\S]*?<\/code>/g, "").replace(/<[^>]+>/g, "");
}

function findingAt(path: string): Finding {
  return makeFinding({ status: "live", tier: "website", occurrences: [{ path, line: 3, commit: "a".repeat(40) }] }).finding;
}

describe.each(HOSTILE)("a hostile path %j", (hostile) => {
  it("commit comment: same structure as a plain path, no mention, no link", () => {
    const plain = md.render(commitCommentBody({ finding: findingAt(PLAIN), commit: "a".repeat(40) }));
    const finding = findingAt(hostile);
    const body = commitCommentBody({ finding, commit: "a".repeat(40) });
    const html = md.render(body);
    expect(structure(html)).toEqual(structure(plain));
    expect(body).not.toMatch(CONTROLS);
    expect(html).not.toContain("<a ");
    expect(html).not.toContain("<img");
    expect(textOutsideCode(html)).not.toContain("@octocat");
    // The comment is found again by its marker: a path cannot pose as another secret's.
    expect(markerFingerprint(body)).toBe(finding.fingerprint);
  });

  it("check run: same summary structure (one table row), plain-text annotation on the real path", () => {
    const plain = checkRunOutput([findingAt(PLAIN)]);
    const out = checkRunOutput([findingAt(hostile)]);
    const html = md.render(out.summary);
    expect(structure(html)).toEqual(structure(md.render(plain.summary)));
    expect(out.summary).not.toMatch(CONTROLS);
    expect(html).not.toContain("<a ");
    expect(textOutsideCode(html)).not.toContain("@octocat");
    // GitHub needs the real path to place the annotation; its message and title hold no path.
    expect(out.annotations[0]!.path).toBe(hostile);
    expect(out.annotations[0]!.message).not.toContain(hostile);
  });

  it("leak issue: same structure as a plain path; the only links are the ones to GitHub", () => {
    const issueOf = (path: string) => {
      const { finding } = makeFinding({ status: "live", tier: "website", occurrences: [{ path, line: 3, commit: "a".repeat(40) }] });
      return leakIssueBody({ ...finding, repository: { owner: "acme", repo: "web" }, pusher: null });
    };
    const body = issueOf(hostile);
    expect(body).not.toMatch(CONTROLS);
    const html = md.render(body);
    expect(structure(html)).toEqual(structure(md.render(issueOf(PLAIN))));
    for (const [, href] of html.matchAll(/<a href="([^"]*)"/g)) {
      expect(href).toMatch(/^https:\/\/(github\.com\/acme\/web\/|app\.crisp\.chat|marketplace\.crisp\.chat)/);
    }
    expect(textOutsideCode(html)).not.toContain("@octocat");
  });
});

describe("hostile text from a rotator (name, detail, url)", () => {
  const rotations = [
    {
      rotator: "desk @octocat",
      status: "requested" as const,
      detail: "ticket for @octocat, see https://evil.example/a or [here](https://evil.example/b)\n\n# Pwned\x1b[2K",
      url: "javascript:alert(1)",
    },
  ];
  const finding = () => makeFinding({ status: "live", tier: "website", rotations }).finding;

  it("commit comment: no mention, no link, no heading, no control", () => {
    const f = finding();
    const body = commitCommentBody({ finding: f, commit: "a".repeat(40) });
    const html = md.render(body);
    expect(body).not.toMatch(CONTROLS);
    expect(html).not.toContain("<a ");
    expect(html).not.toContain("<h1");
    expect(textOutsideCode(html)).not.toMatch(/@octocat/);
  });

  it("check run summary: no mention, no link", () => {
    const html = md.render(checkRunOutput([finding()]).summary);
    expect(html).not.toContain("<a ");
    expect(textOutsideCode(html)).not.toMatch(/@octocat/);
  });
});

describe.each(HOSTILE)("a hostile path %j in the other notes", (hostile) => {
  it("the check run's 'scan incomplete' note keeps it in its list item", () => {
    const gap = { commit: "b".repeat(40), path: hostile, reason: `blob of ${hostile} could not be read (HTTP 502)` };
    const plainGap = { commit: "b".repeat(40), path: PLAIN, reason: `blob of ${PLAIN} could not be read (HTTP 502)` };
    const note = incompleteNote([gap]);
    expect(note).not.toMatch(CONTROLS);
    const html = md.render(note);
    expect(structure(html)).toEqual(structure(md.render(incompleteNote([plainGap]))));
    expect(html).not.toContain("<a ");
    expect(textOutsideCode(html)).not.toContain("@octocat");
  });

  it("the issue comment when a re-check is impossible keeps the reason in its paragraph", () => {
    const input = { redacted: "7c3ef21c…:…0a0a", tier: null, websiteId: null, rotatedAt: "2026-01-01T00:00:00Z", at: "2026-01-02T00:00:00Z" };
    const body = impossibleIssueComment({ ...input, reason: `keypair no longer readable: acme/web:${hostile}: not found` });
    expect(body).not.toMatch(CONTROLS);
    const html = md.render(body);
    const plain = md.render(impossibleIssueComment({ ...input, reason: `keypair no longer readable: acme/web:${PLAIN}: not found` }));
    expect(structure(html)).toEqual(structure(plain));
    expect(html).not.toContain("<a ");
    expect(textOutsideCode(html)).not.toContain("@octocat");
  });
});
