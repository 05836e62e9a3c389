import { describe, expect, it } from "vitest";
import { displayPath } from "../../src/escape/path.js";

describe("displayPath", () => {
  it("keeps valid UTF-8 as it is", () => {
    expect(displayPath(Buffer.from("dir/ünï 日本/🚀.env"))).toBe("dir/ünï 日本/🚀.env");
  });

  it.each([
    ["a lone 0xff", [0x61, 0xff, 0x2e, 0x65], "a\\xff.e"],
    ["a Latin-1 é (0xe9)", [0x63, 0x61, 0x66, 0xe9], "caf\\xe9"],
    ["a cut-off sequence", [0x61, 0xe6, 0x97], "a\\xe6\\x97"],
    ["an overlong slash (0xc0 0xaf)", [0xc0, 0xaf], "\\xc0\\xaf"],
    ["an encoded surrogate", [0xed, 0xa0, 0x80], "\\xed\\xa0\\x80"],
    ["valid text around an invalid byte", [...Buffer.from("日"), 0xfe, ...Buffer.from("本")], "日\\xfe本"],
  ])("shows %s as \\xNN", (_name, bytes, expected) => {
    expect(displayPath(Buffer.from(bytes))).toBe(expected);
  });

  it("never yields the replacement character for bytes that were not one", () => {
    expect(displayPath(Buffer.from([0xff, 0xfe, 0x80]))).not.toContain("\ufffd");
  });
});
