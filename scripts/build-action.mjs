// Bundles the GitHub Action's entry point into one file with no node_modules at run time, as
// Actions require: node scripts/build-action.mjs [OUTFILE] (default action/dist/index.mjs). The
// history scan's worker thread is its own entry point, history-worker.mjs beside OUTFILE.
// The bundle is committed; test/action/bundle.test.ts rebuilds it and fails if it drifted.
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = process.argv[2] ?? join(root, "action", "dist", "index.mjs");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

/** src/version.ts reads ../package.json at run time; the bundle has none, so the version is inlined. */
const inlineVersion = {
  name: "inline-version",
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]version\.ts$/ }, () => ({
      loader: "ts",
      contents: `export const VERSION: string = ${JSON.stringify(version)};\nexport const TOOL = Object.freeze({ name: "crisp-guard", version: VERSION });\n`,
    }));
  },
};

/** What must never be bundled: the store's native module, and the app (Probot) it belongs to. */
const forbidden = {
  name: "forbidden",
  setup(b) {
    b.onResolve({ filter: /^(better-sqlite3|probot)$|[\\/](store|app)[\\/]/ }, (args) => ({
      errors: [{ text: `the action must not import ${args.path} (from ${args.importer})` }],
    }));
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: {
    [basename(outfile, ".mjs")]: "src/cli/action-main.ts",
    "history-worker": "src/sources/git/history-worker.ts",
  },
  outdir: dirname(outfile),
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  // node24 is the runtime action.yml asks for; node20 syntax keeps `node action/dist/index.mjs` working in tests.
  target: "node20",
  // CommonJS dependencies call require(); an ES module has none of its own.
  banner: { js: 'import { createRequire as __crispGuardCreateRequire } from "node:module";\nconst require = __crispGuardCreateRequire(import.meta.url);' },
  legalComments: "eof",
  metafile: true,
  logLevel: "warning",
  plugins: [inlineVersion, forbidden],
});

if (process.env.CRISP_GUARD_BUNDLE_INPUTS) {
  for (const input of Object.keys(result.metafile.inputs).sort()) console.log(input);
}
