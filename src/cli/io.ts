// Everything the CLI touches outside itself, passed in so tests can run it in-process.
export interface Writable {
  write(chunk: string): unknown;
}

export interface CliIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: NodeJS.WriteStream | (Writable & { isTTY?: boolean });
  stdin: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** A usage or runtime error: printed as one line, exit code 2. Never holds a secret. */
export class CliError extends Error {
  override readonly name = "CliError";
}

export const EXIT = Object.freeze({ clean: 0, findings: 1, error: 2 });
