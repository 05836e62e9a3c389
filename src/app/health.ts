// Health endpoints for orchestrators (Docker, Kubernetes, a load balancer), on every role:
// GET /healthz — the process is up and answering (liveness: restart it when this fails);
// GET /readyz  — what it depends on answers: the store, and the queue with Postgres (readiness:
// send it traffic only when this is 200). Bodies name each check and say ok or failed, never why
// in detail: an error could name a host or a user, and these are unauthenticated.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppRole } from "./env.js";
import { pathOf, type IngressHandler } from "./webhook-ingress.js";
import { settlesWithin } from "./within.js";

/** A readiness check that answers in time is ok; one slower than this is failed (a hung pool). */
export const READINESS_TIMEOUT_MS = 2_000;

export interface HealthOptions {
  role: AppRole;
  /** Named checks; each resolves when the dependency answered, rejects otherwise. */
  checks: Record<string, () => Promise<void>>;
  timeoutMs?: number;
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
}

export function createHealthHandler(options: HealthOptions): IngressHandler {
  const timeoutMs = options.timeoutMs ?? READINESS_TIMEOUT_MS;
  return async (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req.url);
    if (path !== "/healthz" && path !== "/readyz") return false;
    req.resume();
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return true;
    }
    if (path === "/healthz") {
      answer(res, 200, { status: "ok", role: options.role });
      return true;
    }
    const names = Object.keys(options.checks);
    const results = await Promise.all(names.map((n) => settlesWithin(options.checks[n]!(), timeoutMs)));
    const checks = Object.fromEntries(names.map((n, i) => [n, results[i] ? "ok" : "failed"]));
    const ready = results.every(Boolean);
    answer(res, ready ? 200 : 503, { status: ready ? "ready" : "not ready", role: options.role, checks });
    return true;
  };
}
