// The Crisp API base URL: the only place a keypair is ever sent, so it is checked before use.
import { isLoopbackHost } from "../config/loopback.js";

export { isLoopbackHost };

/** DESIGN.md "Crisp API facts": the public REST API, version 1. */
export const DEFAULT_CRISP_API_URL = "https://api.crisp.chat/v1/";

/**
 * Resolves the Crisp API base (option or CRISP_API_URL). Undefined or empty gives the default.
 * Accepted: https anywhere, or http only on a loopback host (a local fake or proxy), so a typo or a
 * hostile setting cannot send keypairs in clear text across a network. Throws an Error with a
 * one-line message otherwise; the message never repeats user-info or query, which could hold secrets.
 * The result always ends with "/" so that endpoint paths resolve beneath it.
 */
export function resolveCrispApiUrl(value: string | undefined): URL {
  const text = value?.trim() ?? "";
  if (text === "") return new URL(DEFAULT_CRISP_API_URL);

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error("Crisp API URL is not a valid absolute URL (expected e.g. https://api.crisp.chat/v1/)");
  }
  const shown = `${url.protocol}//${url.host}`;
  if (url.username !== "" || url.password !== "") {
    throw new Error(`Crisp API URL must not carry credentials (${shown})`);
  }
  if (url.search !== "" || url.hash !== "") {
    throw new Error(`Crisp API URL must not have a query or fragment (${shown})`);
  }
  if (url.protocol === "http:") {
    if (!isLoopbackHost(url.hostname)) {
      throw new Error(`Crisp API URL must use https, or http only on a loopback host (got ${shown})`);
    }
  } else if (url.protocol !== "https:") {
    throw new Error(`Crisp API URL must use https, or http only on a loopback host (got ${shown})`);
  }
  if (!url.pathname.endsWith("/")) url.pathname = `${url.pathname}/`;
  return url;
}
