export { loadServerConfig, parseServerConfig, enabledRotators, ServerConfigError, } from "./server-config.js";
export { createRotators, runRotators, serializeContentRotators, shouldRotate, rotateChoice, RotatorSelectionError, DEFAULT_ROTATOR_TIMEOUT_MS, } from "./registry.js";
export { githubIssueRotator, openOrUpdateLeakIssue, findLeakIssue, closeLeakIssue, leakIssueTitle, leakIssueBody, leakIssueMarker, LEAK_LABEL, } from "./github-issue.js";
export { webhookRotator, signBody, verifySignature, SIGNATURE_HEADER } from "./webhook.js";
export { commandRotator } from "./command.js";
export { moduleRotator, loadModuleRotator, ModuleRotatorError } from "./module.js";
export { noopRotator } from "./noop.js";
export { buildLeakEvent } from "./event.js";
//# sourceMappingURL=index.js.map