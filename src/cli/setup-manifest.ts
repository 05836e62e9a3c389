// Probot's setup page (the manifest flow, before the app is registered) tells GitHub to deliver
// webhooks to `${the page's base URL}/`, but Probot serves them at /api/github/webhooks: a freshly
// registered app's deliveries would all fail. app.yml cannot fix it (the host is only known per
// request, and Probot spreads app.yml over its defaults), so the manifest Probot builds gets the
// path appended. A smee proxy URL (WEBHOOK_PROXY_URL) or an explicit app.yml hook URL is kept.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/** Probot's default webhook path (Probot's run(): webhookPath = "/api/github/webhooks"). */
export const WEBHOOK_PATH = "/api/github/webhooks";

interface ManifestCreationLike {
  prototype: { getManifest: (this: unknown, options: { baseUrl: string }) => string };
}

/** The manifest with its root-path hook URL pointed at the webhook path; anything else unchanged. */
export function withWebhookPath(manifestJson: string, baseUrl: string): string {
  const manifest = JSON.parse(manifestJson) as { hook_attributes?: { url?: string } };
  const url = manifest.hook_attributes?.url;
  if (url !== `${baseUrl}/` && url !== baseUrl) return manifestJson;
  return JSON.stringify({ ...manifest, hook_attributes: { ...manifest.hook_attributes, url: `${baseUrl}${WEBHOOK_PATH}` } });
}

let patched = false;

/** Wraps Probot's ManifestCreation.getManifest once per process (the module its setup page uses). */
export async function fixSetupWebhookUrl(): Promise<void> {
  if (patched) return;
  patched = true;
  // Not in probot's exports map: load the very module file its setup page imports.
  const main = createRequire(import.meta.url).resolve("probot");
  const mod = (await import(pathToFileURL(join(dirname(main), "manifest-creation.js")).href)) as { ManifestCreation?: ManifestCreationLike };
  const proto = mod.ManifestCreation?.prototype;
  if (!proto || typeof proto.getManifest !== "function") return; // another Probot: leave it be
  const original = proto.getManifest;
  proto.getManifest = function (this: unknown, options: { baseUrl: string }) {
    return withWebhookPath(original.call(this, options), options.baseUrl);
  };
}
