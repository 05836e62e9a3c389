// What a delivery's payload column holds, by event: only what its job needs (see types.ts DeliveryInput).
import { checkInstallationPayload } from "./installation-payload.js";
import { pickPullRequestPayload } from "./pull-request-payload.js";
import { pickPushPayload } from "./push-payload.js";
import type { DeliveryInput } from "./types.js";

/** The payload column's JSON; throws for a payload the event must not carry. */
export function storedPayload(input: DeliveryInput): string {
  switch (input.event) {
    case "pull_request":
      return JSON.stringify(pickPullRequestPayload(input.payload));
    case "installation":
      return JSON.stringify(checkInstallationPayload(input.payload));
    case "backfill":
      // Its id, generation and row are written together, in one transaction.
      throw new Error("store: a backfill delivery is recorded by requestBackfill only");
    default:
      return JSON.stringify(pickPushPayload(input.payload));
  }
}
