import { describe, expect, it } from "vitest";
import { escapeTerminal } from "../../src/escape/terminal.js";

describe("escapeTerminal", () => {
  it.each([
    ["OSC retitling the window", "a\x1b]0;pwned\x07.env", "a\\x1b]0;pwned\\x07.env"],
    ["CSI erasing the line", "x\x1b[2K\x1b[1Ay.env", "x\\x1b[2K\\x1b[1Ay.env"],
    ["CR overwriting what was printed", "evil\rNo Crisp token keypair found.", "evil\\rNo Crisp token keypair found."],
    ["a newline starting a fake line", "a\n  at fake.env:1:1", "a\\n  at fake.env:1:1"],
    ["BEL and NUL", "\x07\x00", "\\x07\\x00"],
    ["DEL", "a\x7fb", "a\\x7fb"],
    ["C1 CSI (U+009B) and NEL (U+0085)", "a\u009b2Jb\u0085", "a\\x9b2Jb\\x85"],
    ["a right-to-left override (Trojan Source)", "file\u202Egnp.exe", "file\\u202egnp.exe"],
    ["bidi isolates", "\u2066a\u2069", "\\u2066a\\u2069"],
    ["a line separator", "a\u2028b", "a\\u2028b"],
    ["a tab", "a\tb", "a\\tb"],
  ])("escapes %s", (_name, input, expected) => {
    expect(escapeTerminal(input)).toBe(expected);
  });

  it("leaves printable text, non-ASCII letters and emoji as they are", () => {
    const text = "src/ünïcödé/日本語/🚀 file (1).env";
    expect(escapeTerminal(text)).toBe(text);
  });

  it("leaves nothing a terminal acts on", () => {
    const hostile = Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join("") + "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069";
    // eslint-disable-next-line no-control-regex
    expect(escapeTerminal(hostile)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });
});
