// Ctrl-C and SIGTERM during `crisp-guard dir`: a child CLI process (from dist/, so run `npm run
// build` first) is signalled while it is still reading, here from a standard input that stays open.
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { randomKeypair } from "../helpers/keypairs.js";

const CLI = resolve("dist/cli/main.js");

describe("crisp-guard dir interrupted", () => {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    it(`${signal} while reading: exits ${code}, says so, and reports nothing`, async () => {
      const child = spawn(process.execPath, [CLI, "dir", "-", "--format", "json"], { stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((r) => child.on("close", (c) => r(c)));
      // Half a document: a keypair the scan would report, were the input to end.
      const kp = randomKeypair();
      child.stdin.write(`CRISP_IDENTIFIER=${kp.identifier}\nCRISP_KEY=${kp.key}\n`);
      await new Promise((r) => setTimeout(r, 1000));
      expect(child.exitCode, "the scan ended before it could be interrupted").toBeNull();
      child.kill(signal);
      expect(await exited).toBe(code);
      expect(stderr).toContain(`interrupted (${signal}); nothing reported`);
      expect(stdout).toBe("");
      expect(stderr + stdout).not.toContain(kp.key);
      child.stdin.destroy();
    }, 30_000);
  }
});
