// "A loopback address only": the one place http is allowed, for the Crisp API base (tests, a local
// proxy) and for rotator webhooks. Shared so both guards accept and refuse the same hosts.

/** localhost, 127.0.0.0/8 and ::1 (also as an IPv4-mapped address). URL.hostname is already normalised. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
  if (host === "localhost") return true;
  if (host === "::1" || host === "0:0:0:0:0:0:0:1") return true;
  // The WHATWG parser writes ::ffff:127.0.0.1 as ::ffff:7f00:1 (hex), any 127/8 as ::ffff:7fXX:XXXX.
  if (/^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host)) return true;
  const octets = host.split(".");
  if (octets.length !== 4 || !octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)) return false;
  return octets[0] === "127";
}
