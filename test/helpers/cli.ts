import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { runCli } from "../../src/cli/program.js";
import { tempDir } from "./temp.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output. */
export async function cli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; stdin?: string } = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from([options.stdin ?? ""]),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr };
}

/** Writes a tree of files into a fresh temporary directory. */
export async function tree(files: Record<string, string | Buffer>): Promise<string> {
  const root = tempDir("crisp-guard-test-");
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

export function envFile(kp: { identifier: string; key: string }): string {
  return `# crisp support widget\nCRISP_IDENTIFIER=${kp.identifier}\nCRISP_KEY=${kp.key}\n`;
}
