import { describe, expect, it } from "vitest";
import { DEFAULT_CRISP_API_URL, isLoopbackHost, resolveCrispApiUrl } from "../../src/verify/base-url.js";

describe("resolveCrispApiUrl", () => {
  it("defaults to the public Crisp API when unset or empty", () => {
    expect(resolveCrispApiUrl(undefined).href).toBe(DEFAULT_CRISP_API_URL);
    expect(resolveCrispApiUrl("").href).toBe("https://api.crisp.chat/v1/");
    expect(resolveCrispApiUrl("   ").href).toBe("https://api.crisp.chat/v1/");
  });

  it("accepts https anywhere and adds the trailing slash endpoints resolve under", () => {
    expect(resolveCrispApiUrl("https://api.crisp.chat/v1").href).toBe("https://api.crisp.chat/v1/");
    expect(resolveCrispApiUrl("https://proxy.example.com/crisp/v1/").href).toBe("https://proxy.example.com/crisp/v1/");
    expect(new URL("plugin/connect/account", resolveCrispApiUrl("https://proxy.example.com/crisp/v1")).pathname).toBe(
      "/crisp/v1/plugin/connect/account",
    );
  });

  it.each([
    "http://127.0.0.1:8080/v1/",
    "http://127.9.8.7/v1",
    "http://localhost:3000/v1/",
    "http://[::1]:4000/v1/",
    "http://127.1/v1/",
  ])("accepts http on the loopback host %s", (value) => {
    expect(resolveCrispApiUrl(value).protocol).toBe("http:");
  });

  it.each([
    ["http://api.crisp.chat/v1/", /https, or http only on a loopback/],
    ["http://10.0.0.1/v1/", /loopback/],
    ["http://128.0.0.1/v1/", /loopback/],
    ["http://localhost.evil.example/v1/", /loopback/],
    ["http://127.0.0.1.nip.io/v1/", /loopback/],
    ["ftp://127.0.0.1/v1/", /https/],
    ["file:///etc/passwd", /https/],
    ["api.crisp.chat/v1", /not a valid absolute URL/],
    ["https://user:secret@api.crisp.chat/v1/", /credentials/],
    ["https://api.crisp.chat/v1/?token=x", /query or fragment/],
  ])("refuses %s with a one-line message", (value, message) => {
    let error: unknown;
    try {
      resolveCrispApiUrl(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("\n");
    expect((error as Error).message).not.toContain("secret");
    expect((error as Error).message).not.toContain("token=x");
  });
});

describe("isLoopbackHost", () => {
  it("knows 127.0.0.0/8, ::1 and localhost, and nothing else", () => {
    expect(isLoopbackHost("127.0.0.1")).toBe(true);
    expect(isLoopbackHost("127.255.255.254")).toBe(true);
    expect(isLoopbackHost("[::1]")).toBe(true);
    expect(isLoopbackHost("localhost")).toBe(true);
    expect(isLoopbackHost("[::ffff:7f00:1]")).toBe(true);
    expect(isLoopbackHost("0.0.0.0")).toBe(false);
    expect(isLoopbackHost("192.168.1.1")).toBe(false);
    expect(isLoopbackHost("[::2]")).toBe(false);
    expect(isLoopbackHost("127.0.0.1.example.com")).toBe(false);
  });
});
