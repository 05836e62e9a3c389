// The floor for `crisp-guard dir`: walk the same tree, read every file, run one trivial regex.
import { opendir, readFile } from "node:fs/promises";
import { join } from "node:path";

const root = process.argv[2];
let bytes = 0;
let hits = 0;
const stack = [root];
while (stack.length) {
  const dir = stack.pop();
  for await (const e of await opendir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== ".git") stack.push(p); }
    else if (e.isFile()) {
      const text = (await readFile(p)).toString("utf8");
      bytes += text.length;
      if (/crisp/i.test(text)) hits++;
    }
  }
}
console.log(JSON.stringify({ bytes, hits }));
