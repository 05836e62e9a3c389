// Puts the webhook ingress where Probot puts its own webhook middleware. Probot's Server (`probot run`,
// so `npm start`, and `crisp-guard serve`) and Probot's createNodeMiddleware both ask the Probot
// instance for getNodeMiddleware() once the app is loaded, and run what it returns before any other
// handler; answering that call with the ingress replaces Probot's middleware, which buffers any body
// whole and logs the full event on a bad signature.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Probot } from "probot";
import { createWebhookIngress, pathOf, type IngressHandler, type WebhookIngressOptions } from "./webhook-ingress.js";

export interface ProbotIngressOptions extends Pick<WebhookIngressOptions, "receive"> {
  /** False on the worker role: the webhook path answers 503 (webhooks go to the web role). */
  takesWebhooks?: boolean;
  /** /healthz and /readyz, answered before anything else. */
  health?: IngressHandler;
}

/** The worker role's webhook path: nothing is read or recorded, and GitHub sees a failed delivery. */
function refuseWebhooks(path: string): IngressHandler {
  return async (req, res) => {
    if (pathOf(req.url) !== pathOf(path)) return false;
    req.resume();
    res
      .writeHead(503, { "content-type": "application/json" })
      .end(JSON.stringify({ error: "this process runs the worker role: send webhooks to the web role" }));
    return true;
  };
}

export function useWebhookIngress(probot: Probot, options: ProbotIngressOptions): void {
  const getNodeMiddleware: Probot["getNodeMiddleware"] = async ({ log, path } = {}) => {
    await probot.ready();
    const webhookPath = path ?? probot.webhookPath;
    const webhooks = options.takesWebhooks === false ? refuseWebhooks(webhookPath) : createWebhookIngress({
      receive: options.receive,
      path: webhookPath,
      // Probot's own secret (WEBHOOK_SECRET, or `probot run --secret`), compared in constant time.
      verify: (body, signature) => probot.webhooks.verify(body, signature),
      log: log ?? probot.log,
    });
    // The request and response are typed here: @octokit/webhooks declares them `any`.
    const middleware: Awaited<ReturnType<Probot["getNodeMiddleware"]>> = async (req: IncomingMessage, res: ServerResponse, next) => {
      if (options.health && (await options.health(req, res))) return true;
      if (await webhooks(req, res)) return true;
      next?.();
      return false;
    };
    return middleware;
  };
  probot.getNodeMiddleware = getNodeMiddleware;
}
