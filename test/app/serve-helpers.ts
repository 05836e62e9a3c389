// Shared by the end-to-end tests that start the real server (crisp-guard serve) against the fakes.
import { createHmac } from "node:crypto";
import { createServer } from "node:net";
import { join } from "node:path";
import { privateKey } from "./harness.js";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export function sign(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** The environment `crisp-guard serve` runs with: GitHub and Crisp on 127.0.0.1, the store in `dir`. */
export function serveEnv(o: {
  secret: string;
  githubHost: string;
  crispUrl: string;
  dir: string;
  port: number;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    NODE_ENV: "test",
    APP_ID: "1",
    PRIVATE_KEY: privateKey(),
    WEBHOOK_SECRET: o.secret,
    GHE_HOST: o.githubHost,
    GHE_PROTOCOL: "http",
    CRISP_API_URL: o.crispUrl,
    CRISP_GUARD_DB: join(o.dir, "crisp-guard.db"),
    HOST: "127.0.0.1",
    PORT: String(o.port),
    ...o.extra,
  };
}
