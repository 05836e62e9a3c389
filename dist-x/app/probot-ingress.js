import { createWebhookIngress } from "./webhook-ingress.js";
export function useWebhookIngress(probot, options) {
    const getNodeMiddleware = async ({ log, path } = {}) => {
        await probot.ready();
        const ingress = createWebhookIngress({
            ...options,
            path: path ?? probot.webhookPath,
            // Probot's own secret (WEBHOOK_SECRET, or `probot run --secret`), compared in constant time.
            verify: (body, signature) => probot.webhooks.verify(body, signature),
            log: log ?? probot.log,
        });
        return (async (req, res, next) => {
            if (await ingress(req, res))
                return true;
            next?.();
            return false;
        });
    };
    probot.getNodeMiddleware = getNodeMiddleware;
}
//# sourceMappingURL=probot-ingress.js.map