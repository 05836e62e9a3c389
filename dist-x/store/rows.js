import { pickPushPayload } from "./push-payload.js";
export const toDelivery = (r) => ({
    id: r.id,
    event: r.event,
    repository: r.repository,
    installationId: r.installation_id,
    after: r.after_sha,
    payload: r.event === "pull_request" ? pickPushPayload({}) : JSON.parse(r.payload),
    pullRequest: r.event === "pull_request" ? JSON.parse(r.payload) : null,
    receivedAt: r.received_at,
});
export const toJob = (r) => ({
    deliveryId: r.delivery_id,
    status: r.status,
    attempts: r.attempts,
    error: r.error,
    enqueuedAt: r.enqueued_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
});
export const toSecret = (r) => ({
    fingerprint: r.fingerprint,
    redactedIdentifier: r.redacted_identifier,
    keyHint: r.key_hint,
    tier: r.tier,
    websiteId: r.website_id,
    state: r.state,
    firstSeenAt: r.first_seen_at,
    updatedAt: r.updated_at,
    deadAt: r.dead_at,
});
export const toOccurrence = (r) => ({
    repository: r.repository,
    ...(r.commit_sha ? { commit: r.commit_sha } : {}),
    path: r.path,
    line: r.line,
    column: r.col,
    encoding: r.encoding,
    ...(r.author !== null ? { author: r.author } : {}),
    ...(r.date !== null ? { date: r.date } : {}),
    recordedAt: r.recorded_at,
});
export const toVerification = (r) => ({
    status: r.status,
    tier: r.tier,
    reason: r.reason,
    checkedAt: r.checked_at,
    ...(r.plugin_id !== null ? { pluginId: r.plugin_id } : {}),
    ...(r.website_name !== null ? { websiteName: r.website_name } : {}),
    recordedAt: r.recorded_at,
});
export const toRotation = (r) => ({
    rotator: r.rotator,
    status: r.status,
    detail: r.detail,
    ...(r.url !== null ? { url: r.url } : {}),
    recordedAt: r.recorded_at,
});
export const toRotationAttempt = (r) => ({
    fingerprint: r.fingerprint,
    rotator: r.rotator,
    id: r.attempt_id,
    status: r.status,
    outcome: r.outcome === null ? null : { status: r.outcome, detail: r.detail ?? "", ...(r.url !== null ? { url: r.url } : {}) },
    startedAt: r.started_at,
    finishedAt: r.finished_at,
});
export const toRecheck = (r) => ({
    fingerprint: r.fingerprint,
    attempt: r.attempt,
    dueAt: new Date(r.due_at),
    status: r.status,
    note: r.note,
    completedAt: r.completed_at,
});
//# sourceMappingURL=rows.js.map