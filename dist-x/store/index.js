// The store: persistence for the app and the lifecycle, SQLite (default) or Postgres (DATABASE_URL),
// behind one async contract. Never a raw key (see docs/store.md).
import { openPostgresStore } from "./postgres.js";
import { openSqliteStore } from "./sqlite.js";
export { openSqliteStore } from "./sqlite.js";
export { openPostgresStore } from "./postgres.js";
export { MIGRATIONS, migrate } from "./migrations.js";
export { pickPushPayload, MAX_PAYLOAD_COMMITS } from "./push-payload.js";
export { pickPullRequestPayload } from "./pull-request-payload.js";
export { scrubText, MAX_TEXT_CHARS } from "./scrub.js";
/** Opens the store the location names and applies pending migrations. */
export async function openStore(location, options = {}) {
    if (location.databaseUrl)
        return openPostgresStore(location.databaseUrl, options);
    return openSqliteStore(location.dbPath, options);
}
//# sourceMappingURL=index.js.map