import { nextState, shouldRotateSecret } from "./lifecycle.js";
/** Moves the secret to the state the event leads to; returns it (undefined for an unknown secret). */
export async function advanceSecretState(store, fingerprint, event) {
    const secret = await store.getSecret(fingerprint);
    if (!secret)
        return undefined;
    const next = nextState(secret.state, event);
    if (next !== secret.state)
        await store.setSecretState(fingerprint, next);
    return next;
}
/**
 * shouldRotateSecret with the store's knowledge: its state, and any rotation already recorded as
 * requested or rotated (a rotation recorded before its state was set still counts).
 */
export async function shouldRotateStored(store, fingerprint, status, when) {
    if (await store.hasRotationRequested(fingerprint))
        return false;
    return shouldRotateSecret((await store.getSecret(fingerprint))?.state, status, when);
}
//# sourceMappingURL=lifecycle-store.js.map