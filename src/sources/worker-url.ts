// Worker threads run plain JavaScript: when the module starting one runs from the TypeScript
// sources (the tests), the worker is the copy `npm run build` put in dist/.

/**
 * The built worker module `name` ("scan-worker") beside `from`: in dist/sources/ (`.js`), or in the
 * GitHub Action's bundle, where every entry point is an `.mjs` file of action/dist/.
 */
export function builtWorkerUrl(name: string, from: string): URL {
  if (from.endsWith(".ts")) return new URL(`../../dist/sources/${name}.js`, from);
  return new URL(`./${name}${from.endsWith(".mjs") ? ".mjs" : ".js"}`, from);
}
