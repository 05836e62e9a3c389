// What Probot's setup page (crisp-guard serve before the app is registered) would post to GitHub.
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runServe, type ServeHandle } from "../../src/cli/serve.js";
import { WEBHOOK_PATH, withWebhookPath } from "../../src/cli/setup-manifest.js";
import { freePort } from "../app/serve-helpers.js";

// Loopback only: the server under test listens on 127.0.0.1.
beforeAll(() => nock.enableNetConnect("127.0.0.1"));

let handle: ServeHandle | undefined;
afterEach(async () => {
  await handle?.stop();
  handle = undefined;
  delete process.env.NO_SMEE_SETUP;
});

function manifestFrom(html: string): Record<string, unknown> {
  const m = /name="manifest" id="manifest" value='([^']*)'/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!);
}

describe("the setup page's manifest", () => {
  it("registers the webhook at /api/github/webhooks on the host the page was opened on", async () => {
    // Probot's setup reads process.env itself: no smee channel (it would reach the network).
    process.env.NO_SMEE_SETUP = "true";
    const port = await freePort();
    handle = await runServe({ env: { NODE_ENV: "test", HOST: "127.0.0.1", PORT: String(port) } });
    expect(handle.guard).toBeNull(); // setup mode
    const response = await fetch(`http://127.0.0.1:${port}/probot`, { headers: { "x-forwarded-host": "guard.example.com", "x-forwarded-proto": "https" } });
    expect(response.status).toBe(200);
    const manifest = manifestFrom(await response.text());
    expect(manifest.hook_attributes).toEqual({ url: `https://guard.example.com${WEBHOOK_PATH}` });
    // The rest is app.yml's, as Probot spreads it.
    expect(manifest).toMatchObject({ name: "Crisp Guard", default_events: ["push", "pull_request"], redirect_url: "https://guard.example.com/probot/setup" });
  });

  it("keeps a smee proxy URL or an explicit hook URL", () => {
    const smee = JSON.stringify({ hook_attributes: { url: "https://smee.io/abc" } });
    expect(withWebhookPath(smee, "http://localhost:3000")).toBe(smee);
    const root = JSON.stringify({ name: "x", hook_attributes: { url: "http://localhost:3000/" } });
    expect(JSON.parse(withWebhookPath(root, "http://localhost:3000"))).toEqual({ name: "x", hook_attributes: { url: "http://localhost:3000/api/github/webhooks" } });
  });
});
