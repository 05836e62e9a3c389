// A small stand-in for the Crisp REST API on 127.0.0.1, for end-to-end tests (verify, CLI, app).
//
// Behaviour, modelled on Crisp's (DESIGN.md "Crisp API facts"):
// - Every answer is the envelope { error, reason, data } as JSON.
// - No or unreadable Basic auth, an unknown identifier, a wrong key, or a token presented with the
//   wrong X-Crisp-Tier (or none): 401 { error: true, reason: "invalid_session" }.
// - GET /v1/plugin/connect/account with a plugin token: 200 { data: { plugin_id } }.
//   A website token asking it (even with X-Crisp-Tier: website): 403 not_allowed.
// - GET /v1/website/{id} with a website token that owns {id}: 200 { data: { website_id, name, domain } };
//   a website it does not own: 403 not_allowed.
//   With a plugin token subscribed to {id}: 200 likewise; not subscribed: 404 not_subscribed.
// - Any other path: 404 not_found (after authentication, as Crisp does).
// - options.respond can override any answer (5xx, 429 with Retry-After, 301, ...) for a request,
//   or return "reset" (the socket is destroyed) or "hang" (no answer until close()).

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fingerprint } from "../../src/detect/fingerprint.js";

export type FakeTier = "plugin" | "website";

export interface FakeCrispToken {
  identifier: string;
  key: string;
  tier: FakeTier;
  /** Websites the token owns (website tier) or is subscribed to (plugin tier). */
  websiteIds?: string[];
  pluginId?: string;
}

export interface FakeCrispRequest {
  method: string;
  /** The path, e.g. /v1/plugin/connect/account. */
  path: string;
  /** The X-Crisp-Tier header, or null. */
  tier: string | null;
  /** The identifier from Basic auth (the raw identifier: keep it in the test), or null. */
  identifier: string | null;
  /** fingerprint(identifier, key) of the presented pair, or null: count requests per secret with it. */
  fingerprint: string | null;
  userAgent: string | null;
}

export interface FakeCrispAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeCrispOptions {
  /** Return an answer to override the normal one for this request, or undefined to let it through. */
  respond?: (request: FakeCrispRequest) => FakeCrispAnswer | "reset" | "hang" | undefined;
  /** Website names by website id (default "Website <first 8 of id>"). */
  websiteNames?: Record<string, string>;
}

export interface FakeCrisp {
  /** Base URL with the API version: http://127.0.0.1:PORT/v1/ */
  url: string;
  requests: FakeCrispRequest[];
  close(): Promise<void>;
}

export async function startFakeCrisp(tokens: FakeCrispToken[], options: FakeCrispOptions = {}): Promise<FakeCrisp> {
  const requests: FakeCrispRequest[] = [];
  const byIdentifier = new Map(tokens.map((t) => [t.identifier.toLowerCase(), t]));

  const server = createServer((req, res) => {
    const request = describe(req);
    requests.push(request);
    const answer = options.respond?.(request) ?? answerFor(req, request);
    if (answer === "reset") req.socket.destroy();
    else if (answer !== "hang") send(res, answer);
  });

  function answerFor(req: IncomingMessage, request: FakeCrispRequest): FakeCrispAnswer {
    const auth = basic(req.headers.authorization);
    const token = auth ? byIdentifier.get(auth.identifier.toLowerCase()) : undefined;
    if (!auth || !token || token.key.toLowerCase() !== auth.key.toLowerCase() || request.tier !== token.tier) {
      return envelope(401, "invalid_session");
    }
    if (request.method !== "GET") return envelope(404, "not_found");
    const owned = (token.websiteIds ?? []).map((id) => id.toLowerCase());
    if (request.path === "/v1/plugin/connect/account") {
      if (token.tier !== "plugin") return envelope(403, "not_allowed");
      return envelope(200, "resolved", { plugin_id: token.pluginId ?? `plugin-${token.identifier.slice(0, 8)}` });
    }
    const website = /^\/v1\/website\/([^/]+)$/.exec(request.path);
    if (website) {
      const id = decodeURIComponent(website[1]!).toLowerCase();
      if (!owned.includes(id)) return token.tier === "plugin" ? envelope(404, "not_subscribed") : envelope(403, "not_allowed");
      const name = options.websiteNames?.[id] ?? `Website ${id.slice(0, 8)}`;
      return envelope(200, "resolved", { website_id: id, name, domain: "example.com" });
    }
    return envelope(404, "not_found");
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function describe(req: IncomingMessage): FakeCrispRequest {
  const auth = basic(req.headers.authorization);
  const tier = req.headers["x-crisp-tier"];
  return {
    method: req.method ?? "GET",
    path: new URL(req.url ?? "/", "http://127.0.0.1").pathname,
    tier: typeof tier === "string" ? tier : null,
    identifier: auth?.identifier ?? null,
    fingerprint: auth ? fingerprint(auth.identifier, auth.key) : null,
    userAgent: req.headers["user-agent"] ?? null,
  };
}

function basic(header: string | undefined): { identifier: string; key: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? "");
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return undefined;
  return { identifier: decoded.slice(0, colon), key: decoded.slice(colon + 1) };
}

function envelope(status: number, reason: string, data: unknown = {}): FakeCrispAnswer {
  return { status, body: { error: status >= 400, reason, data } };
}

function send(res: ServerResponse, answer: FakeCrispAnswer): void {
  const body = answer.body === undefined ? "" : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    ...answer.headers,
  });
  res.end(body);
}
