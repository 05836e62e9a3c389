// Puts the webhook ingress where Probot puts its own webhook middleware. Probot's Server (`probot run`,
// so `npm start`, and `crisp-guard serve`) and Probot's createNodeMiddleware both ask the Probot
// instance for getNodeMiddleware() once the app is loaded, and run what it returns before any other
// handler; answering that call with the ingress replaces Probot's middleware, which buffers any body
// whole and logs the full event on a bad signature.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Probot } from "probot";
import { createWebhookIngress, type WebhookIngressOptions } from "./webhook-ingress.js";

export function useWebhookIngress(
  probot: Probot,
  options: Pick<WebhookIngressOptions, "receive">,
): void {
  const getNodeMiddleware: Probot["getNodeMiddleware"] = async ({ log, path } = {}) => {
    await probot.ready();
    const ingress = createWebhookIngress({
      ...options,
      path: path ?? probot.webhookPath,
      // Probot's own secret (WEBHOOK_SECRET, or `probot run --secret`), compared in constant time.
      verify: (body, signature) => probot.webhooks.verify(body, signature),
      log: log ?? probot.log,
    });
    // The request and response are typed here: @octokit/webhooks declares them `any`.
    const middleware: Awaited<ReturnType<Probot["getNodeMiddleware"]>> = async (req: IncomingMessage, res: ServerResponse, next) => {
      if (await ingress(req, res)) return true;
      next?.();
      return false;
    };
    return middleware;
  };
  probot.getNodeMiddleware = getNodeMiddleware;
}
