// The store: SQLite persistence for the app and the lifecycle. Never a raw key (see docs/store.md).
export { openStore, type StoreOptions } from "./sqlite.js";
export { MIGRATIONS, migrate, type Migration } from "./migrations.js";
export { pickPushPayload, MAX_PAYLOAD_COMMITS } from "./push-payload.js";
export { pickPullRequestPayload } from "./pull-request-payload.js";
export { scrubText, MAX_TEXT_CHARS } from "./scrub.js";
export type * from "./types.js";
