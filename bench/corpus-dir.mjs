// Generates a tree of realistic source files (TS/JS, Python, JSON lockfiles, YAML, Markdown, .env)
// with UUIDs, hashes and Crisp mentions that are not secrets, plus a few planted keypairs made at
// run time. Deterministic but for the planted keys. Used by bench/dir.mjs.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { prng } from "./lib.mjs";

const WORDS = "user account session token payload handler request response config client server cache queue worker event message channel widget render update delete create fetch parse format value index item list map set store state action reducer router route view model schema field record".split(" ");

function makeGen(seed) {
  const rnd = prng(seed);
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  const int = (n) => Math.floor(rnd() * n);
  const hex = (n) => { let s = ""; while (s.length < n) s += int(0x100000000).toString(16).padStart(8, "0"); return s.slice(0, n); };
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const name = () => pick(WORDS) + pick(WORDS).replace(/^./, (c) => c.toUpperCase());
  const tsLine = () => {
    switch (int(12)) {
      case 0: return `import { ${name()} } from "./${pick(WORDS)}/${pick(WORDS)}.js";`;
      case 1: return `export const ${name()} = "${uuid()}"; // correlation id`;
      case 2: return `  const digest = "${hex(64)}"; // sha256 of the fixture`;
      case 3: return `  if (${name()}.${pick(WORDS)} === undefined) throw new Error("missing ${pick(WORDS)}");`;
      case 4: return `  return ${name()}(${pick(WORDS)}, { ${pick(WORDS)}: ${int(1000)}, ${pick(WORDS)}: "${pick(WORDS)}" });`;
      case 5: return `export async function ${name()}(${pick(WORDS)}: string, ${pick(WORDS)}: number): Promise<void> {`;
      case 6: return "}";
      case 7: return `  // ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}`;
      case 8: return `  await ${name()}.${pick(WORDS)}({ id: "${uuid()}", at: ${Date.UTC(2024, int(12), 1 + int(28))} });`;
      case 9: return `  const ${pick(WORDS)} = [${Array.from({ length: 6 }, () => int(255)).join(", ")}];`;
      case 10: return `  ${pick(WORDS)}.set("${pick(WORDS)}", ${pick(WORDS)}.get("${pick(WORDS)}") ?? ${int(99)});`;
      default: return `  logger.debug({ ${pick(WORDS)}, ${pick(WORDS)} }, "${pick(WORDS)} ${pick(WORDS)} done");`;
    }
  };
  const pyLine = () => pick([
    `def ${pick(WORDS)}_${pick(WORDS)}(${pick(WORDS)}, ${pick(WORDS)}=None):`,
    `    return ${pick(WORDS)}.${pick(WORDS)}(${int(100)})`,
    `    checksum = "${hex(64)}"`,
    `    ${pick(WORDS)} = {"id": "${uuid()}", "${pick(WORDS)}": ${int(100)}}`,
    `# ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}`,
  ]);
  const lockEntry = () =>
    `    "node_modules/${pick(WORDS)}-${pick(WORDS)}": {\n      "version": "${int(20)}.${int(20)}.${int(20)}",\n      "integrity": "sha512-${randomish(86)}==",\n      "license": "MIT"\n    },`;
  const randomish = (n) => { const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"; let s = ""; for (let i = 0; i < n; i++) s += a[int(64)]; return s; };
  const mdLine = () => pick([
    `## ${pick(WORDS)} ${pick(WORDS)}`,
    `The ${pick(WORDS)} ${pick(WORDS)} keeps a ${pick(WORDS)} per ${pick(WORDS)}; see \`${name()}\`.`,
    `- ${pick(WORDS)}: ${pick(WORDS)} (${int(100)}%)`,
    "",
  ]);
  // Files that mention Crisp but hold no keypair: website ids, webhook secrets, checksums.
  const crispLine = () => pick([
    `window.CRISP_WEBSITE_ID = "${uuid()}";`,
    `const crispWebhookSecret = "${hex(64)}"; // signs Crisp webhooks`,
    `  await crisp.website.getWebsite("${uuid()}");`,
    `  const checksum = "${hex(64)}"; // crisp plugin bundle sha256`,
    `  ${pick(WORDS)}: "${pick(WORDS)}", // crisp ${pick(WORDS)}`,
  ]);
  return { rnd, pick, int, hex, uuid, tsLine, pyLine, lockEntry, mdLine, crispLine };
}

function fileOf(g, kind, targetBytes) {
  // Few files of a real tree mention Crisp: about 1 in 50 here, each with several such lines.
  const crispFile = g.int(50) === 0;
  const lines = [];
  let size = 0;
  const push = (l) => { lines.push(l); size += l.length + 1; };
  if (kind === "json") push("{\n  \"lockfileVersion\": 3,\n  \"packages\": {");
  while (size < targetBytes) {
    switch (kind) {
      case "ts": push(crispFile && g.int(20) === 0 ? g.crispLine() : g.tsLine()); break;
      case "py": push(g.pyLine()); break;
      case "json": push(g.lockEntry()); break;
      case "md": push(g.mdLine()); break;
      case "yml": push(`  ${g.pick(WORDS)}_${g.pick(WORDS)}: "${g.int(3) ? g.pick(WORDS) : g.uuid()}"`); break;
    }
  }
  if (kind === "json") push("    \"\": {}\n  }\n}");
  return lines.join("\n") + "\n";
}

/** Planted keypairs, one per realistic form; keys made now, never stored anywhere but the corpus. */
function planted() {
  const kp = () => ({ identifier: randomUUID(), key: randomBytes(32).toString("hex") });
  const a = kp(), b = kp(), c = kp(), d = kp(), e = kp();
  return [
    [".env.production", `NODE_ENV=production\nCRISP_IDENTIFIER=${a.identifier}\nCRISP_KEY=${a.key}\n`],
    ["src/support/crisp.ts", `import Crisp from "crisp-api";\nconst client = new Crisp();\nclient.authenticateTier("plugin", "${b.identifier}", "${b.key}");\n`],
    ["deploy/values.yaml", `crisp:\n  api:\n    identifier: "${c.identifier}"\n    key: "${c.key}"\n`],
    ["docs/ops/crisp.md", `Check the token:\n\n    curl https://api.crisp.chat/v1/plugin/connect/account --user "${d.identifier}:${d.key}" -H "X-Crisp-Tier: plugin"\n`],
    ["scripts/sync.py", `import requests\n# crisp sync\nr = requests.get("https://api.crisp.chat/v1/website/x", headers={"Authorization": "Basic ${Buffer.from(`${e.identifier}:${e.key}`).toString("base64")}", "X-Crisp-Tier": "website"})\n`],
  ];
}

const KINDS = [["ts", 0.5], ["py", 0.15], ["json", 0.15], ["md", 0.1], ["yml", 0.1]];

export async function generateDirCorpus(root, totalBytes, seed = 42) {
  const g = makeGen(seed);
  let written = 0;
  let files = 0;
  while (written < totalBytes) {
    const r = g.rnd();
    let acc = 0;
    const kind = KINDS.find(([, p]) => (acc += p) >= r)?.[0] ?? "ts";
    const dir = join(root, `pkg${g.int(40)}`, g.pick(WORDS), g.pick(WORDS));
    // Mostly small files, a few large ones, as real trees are.
    const target = g.int(50) === 0 ? 200_000 + g.int(800_000) : 1_000 + g.int(30_000);
    const text = fileOf(g, kind, target);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${g.pick(WORDS)}-${files}.${kind}`), text);
    written += text.length;
    files++;
  }
  const plants = planted();
  for (const [path, text] of plants) {
    await mkdir(join(root, path, ".."), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return { files: files + plants.length, bytes: written, planted: plants.length };
}
