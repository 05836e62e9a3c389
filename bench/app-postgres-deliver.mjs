// The webhook client of bench/app-postgres.mjs, in a process of its own: the fakes' work in the
// benchmark's process (serving every worker's GitHub requests) would otherwise delay the client's
// own clock and count in the response times. Reads { port, secret, gapMs, deliveries: [{ id, payload }] }
// as JSON on stdin, sends them one after the other (each at least gapMs after the last began), and
// prints { ms: [...], startedAt, windowMs } as JSON (startedAt: the first send, in ms since the epoch).
import { postPush } from "./lib.mjs";
import { text } from "node:stream/consumers";

const { port, secret, gapMs, deliveries } = JSON.parse(await text(process.stdin));
const ms = [];
const started = performance.now();
for (let i = 0; i < deliveries.length; i++) {
  const due = started + i * gapMs;
  if (performance.now() < due) await new Promise((r) => setTimeout(r, due - performance.now()));
  ms.push(await postPush(port, secret, deliveries[i].id, deliveries[i].payload));
}
process.stdout.write(JSON.stringify({ ms, startedAt: performance.timeOrigin + started, windowMs: performance.now() - started }));
