// The webhook client of bench/app-postgres.mjs, in a process of its own: the fakes' work in the
// benchmark's process (serving every worker's GitHub requests) would otherwise delay the client's
// own clock and count in the response times. Reads { port, secret, gapMs, deliveries: [{ id, payload }] }
// as JSON on stdin, sends them one after the other (each at least gapMs after the last began), and
// prints { ms: [...], startedAt, windowMs } as JSON (startedAt: the first send, in ms since the epoch).
import { createHmac } from "node:crypto";
import { text } from "node:stream/consumers";

const { port, secret, gapMs, deliveries } = JSON.parse(await text(process.stdin));
const ms = [];
const started = performance.now();
for (let i = 0; i < deliveries.length; i++) {
  const due = started + i * gapMs;
  if (performance.now() < due) await new Promise((r) => setTimeout(r, due - performance.now()));
  const body = JSON.stringify(deliveries[i].payload);
  const t = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": deliveries[i].id,
      "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    },
    body,
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  ms.push(performance.now() - t);
}
process.stdout.write(JSON.stringify({ ms, startedAt: performance.timeOrigin + started, windowMs: performance.now() - started }));
