// The Markdown escapes against a CommonMark renderer with GitHub-like autolinking (markdown-it with
// linkify): a hostile value stays inside its code span or its text, on one line, with no link.
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { markdownCode, markdownText } from "../../src/escape/markdown.js";

const md = new MarkdownIt({ linkify: true, html: true });
const render = (s: string) => md.render(s);

const HOSTILE_PATHS = [
  "a`b.env",
  "``x``.env",
  "` leading and trailing `",
  "docs/a\n\n@octocat see [here](https://evil.example/x) https://evil.example/y\n\n`.env",
  "x <!-- crisp-guard:fingerprint=" + "0".repeat(64) + " --> y",
  "<img src=x onerror=alert(1)>.env",
  "a|b|c.env",
  "\x1b]0;title\x07\r.env",
];

describe("markdownCode", () => {
  it.each(HOSTILE_PATHS)("keeps %j in one code span, one paragraph, no link, no HTML", (path) => {
    const html = render(`Found at: ${markdownCode(path)} line 3`);
    expect(html.match(/<p>/g)).toHaveLength(1);
    expect(html.match(/<code>/g)).toHaveLength(1);
    expect(html).not.toContain("<a ");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<!--");
    expect(html).toMatch(/<\/code> line 3<\/p>/);
  });

  it("shows a value without backticks, spaces or controls exactly", () => {
    expect(markdownCode("src/crisp.env:3")).toBe("`src/crisp.env:3`");
    expect(render(markdownCode("a`b"))).toContain("<code>a`b</code>");
    expect(render(markdownCode("`x`"))).toContain("<code>`x`</code>");
  });

  it("puts the @mention inside the code span (GitHub does not mention inside code)", () => {
    const html = render(markdownCode("a\n\n@octocat"));
    expect(html).toMatch(/<code>[^<]*@octocat[^<]*<\/code>/);
  });
});

describe("markdownText", () => {
  it.each([
    ["emphasis and code", "**bold** _it_ `code`"],
    ["a link and an image", "[click](https://evil.example) ![x](https://evil.example/i.png)"],
    ["a bare URL and a www. domain", "see https://evil.example/a and www.evil.example"],
    ["HTML and an entity", "<b>x</b> &lt;"],
    ["a blank line and a heading", "a\n\n# heading\n\n- item"],
    ["a fake marker", "<!-- crisp-guard:fingerprint=" + "1".repeat(64) + " -->"],
  ])("renders %s as plain text in one paragraph", (_name, value) => {
    const html = render(`Detail: ${markdownText(value)}.`);
    expect(html.match(/<p>/g)).toHaveLength(1);
    expect(html).not.toMatch(/<(a|img|b|strong|em|code|h1|ul|li)[ >]/);
    expect(html).not.toContain("<!--");
  });

  it("follows @ and # with a joiner, so no mention or issue reference survives rendering", () => {
    const html = render(markdownText("ping @octocat about #12"));
    expect(html).toContain("@\u200doctocat");
    expect(html).toContain("#\u200d12");
    expect(html).not.toMatch(/@octocat|#12/);
  });

  it("keeps UUIDs and hex intact (the secret scrubber must still recognise an echoed half)", () => {
    const id = "d1970af0-d2d9-4aaf-8ddb-28c79a30a4c7";
    expect(markdownText(`bad token for ${id}.`)).toBe(`bad token for ${id}.`);
  });
});
