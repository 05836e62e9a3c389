// `crisp-guard serve`: runs the GitHub App's HTTP server (Probot's `run`), like `npm start`.
// Probot reads APP_ID, PRIVATE_KEY(_PATH), WEBHOOK_SECRET, PORT, HOST, GHE_HOST, ... from the
// environment; Crisp Guard adds CRISP_GUARD_DB or DATABASE_URL, CRISP_GUARD_CONFIG and CRISP_API_URL. Without
// APP_ID and a private key, Probot starts its setup page (the manifest flow) instead.
import { run } from "probot";
import { AppEnvError, checkAppEnv, createAppFromEnv } from "../app/index.js";
import { ServerConfigError } from "../rotate/index.js";
import { CliError } from "./io.js";
import { fixSetupWebhookUrl } from "./setup-manifest.js";
/** Starts the server; resolves once it listens. Configuration errors are CliErrors (one line, exit 2). */
export async function runServe(io, options = {}) {
    let guard = null;
    try {
        // Checked before Probot starts, so a bad setting is one clear line rather than a stack.
        checkAppEnv(io.env);
        await fixSetupWebhookUrl();
        const env = io.env;
        const server = await run(async (probot, appOptions) => {
            guard = await createAppFromEnv(env, options.app);
            await guard.app(probot, appOptions);
        }, { env: io.env, ...(options.Octokit ? { Octokit: options.Octokit } : {}), ...(options.log ? { log: options.log } : {}) });
        const started = guard;
        return {
            server,
            guard: started,
            port: server.port,
            async stop() {
                await server.stop();
                await started?.stop();
            },
        };
    }
    catch (error) {
        if (error instanceof AppEnvError || error instanceof ServerConfigError)
            throw new CliError(error.message);
        throw error;
    }
}
//# sourceMappingURL=serve.js.map