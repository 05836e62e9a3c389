import { describe, expect, it } from "vitest";
import * as v from "valibot";
import { formatPath, HIDDEN_KEY, parseWith, required, strictMapping, type IssueStyle } from "../../src/config/schema-errors.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";

const STYLE: IssueStyle = { separator: ": ", root: "top level", unknownKey: "path" };
const SENTENCE: IssueStyle = { separator: " ", root: "the config", unknownKey: "quoted" };

function message(schema: v.GenericSchema, input: unknown, style = STYLE): string {
  const parsed = parseWith(schema, input, style);
  if (parsed.ok) throw new Error("expected a failure");
  return parsed.message;
}

describe("formatPath", () => {
  it("names settings and list positions", () => {
    expect(formatPath(["rotators", "webhook", "url"])).toBe("rotators.webhook.url");
    expect(formatPath(["allow", 0, "fingerprint"])).toBe("allow[0].fingerprint");
    expect(formatPath(["env", "S3_BUCKET"])).toBe("env.S3_BUCKET");
  });
  it("hides a key that could be a secret half", () => {
    const kp = randomKeypair();
    expect(formatPath(["rotators", kp.key])).toBe(`rotators.${HIDDEN_KEY}`);
    expect(formatPath([kp.identifier])).toBe(HIDDEN_KEY);
    expect(formatPath([`a${kp.key.slice(0, 20)}`])).toBe(HIDDEN_KEY);
  });
});

describe("parseWith", () => {
  const kp = randomKeypair();

  it("never uses valibot's own messages, which quote the value", () => {
    const schema = v.object({ a: v.string(), b: v.number(), c: v.picklist(["x", "y"]) });
    for (const input of [{ a: [kp.key], b: 1, c: "x" }, { a: "s", b: kp.key, c: "x" }, { a: "s", b: 1, c: kp.key }]) {
      const msg = message(schema, input);
      expect(holdsRaw(msg, kp)).toBe(false);
      expect(msg).not.toContain("Received");
    }
    expect(message(schema, { a: 1, b: 1, c: "x" })).toBe("a: must be a string");
    expect(message(schema, { a: "s", b: 1, c: kp.key })).toBe("c: is not valid");
  });

  it("reports an unknown key first, in either style", () => {
    const schema = strictMapping({ secret: required(v.string("must be a string")) });
    expect(message(schema, { secre: "x" })).toBe("secre: unknown setting (expected one of secret)");
    expect(message(strictMapping({ a: v.optional(v.string()) }, { unknown: "known" }), { b: 1 }, SENTENCE)).toBe('unknown setting "b" (known: a)');
    expect(message(strictMapping({ a: v.optional(v.string()) }, { unknown: "known" }), { [kp.key]: 1 }, SENTENCE)).not.toContain(kp.key);
  });

  it("gives a required key its own message, and the whole document the root's name", () => {
    expect(message(strictMapping({ secret: required(v.string("must be a string")) }), {})).toBe("secret: must be a string");
    expect(message(strictMapping({}), [1, 2])).toBe("top level: must be a mapping");
    expect(message(strictMapping({}, { notMapping: "must be a YAML mapping" }), "x", SENTENCE)).toBe("the config must be a YAML mapping");
  });
});
