// Worker threads run plain JavaScript: when the module starting one runs from the TypeScript
// sources (the tests), the worker is the copy `npm run build` put in dist/.

/**
 * The built worker module `name` ("scan-worker") beside `from`: the same place under dist/ as
 * `from` is under src/ (`.js`), or in the GitHub Action's bundle, where every entry point is an
 * `.mjs` file of action/dist/.
 */
export function builtWorkerUrl(name: string, from: string): URL {
  if (from.endsWith(".ts")) {
    const source = new URL(`./${name}.js`, from);
    return new URL(source.href.replace(/\/src\/(?!.*\/src\/)/, "/dist/"));
  }
  return new URL(`./${name}${from.endsWith(".mjs") ? ".mjs" : ".js"}`, from);
}
