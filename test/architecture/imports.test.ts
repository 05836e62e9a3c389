// DESIGN.md "Layout": no import cycles (type-only ones included) and the layering between folders.
// madge reads .madgerc, the same settings `npm run cycles` uses.
import madgeImport from "madge";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp.js";

const config = JSON.parse(readFileSync(".madgerc", "utf8")) as Parameters<typeof madgeImport>[1];

/**
 * madge, without the deprecation warning its TypeScript parser prints for every `import("…")`
 * type (it reads a field typescript-estree renamed; the value is still there).
 */
async function madge(...args: Parameters<typeof madgeImport>): ReturnType<typeof madgeImport> {
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: never[]) => {
    if (!String(warning).includes("on TSImportType nodes")) emitWarning(warning, ...rest);
  });
  try {
    return await madgeImport(...args);
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** The folder under src/ a module sits in (`detect`), or its file name at the top (`pipeline.ts`). */
const layer = (file: string) => file.split("/")[0]!;

describe("imports in src/", () => {
  let graph: Awaited<ReturnType<typeof madge>>;
  beforeAll(async () => {
    graph = await madge("src", config);
  });

  it("form no cycle, and every import resolves to a file (an unresolved one would hide an edge)", () => {
    expect(graph.circular()).toEqual([]);
    expect(graph.warnings().skipped).toEqual([]);
    // The resolver really follows NodeNext's `./x.js` specifiers to the .ts sources.
    expect(graph.obj()["cli/program.ts"]).toContain("cli/common-options.ts");
  });

  it("follow the layering: detect/ imports only detect/; the libraries import nothing from app/ or cli/", () => {
    const libraries = new Set(["sources", "verify", "rotate", "report", "lifecycle", "store"]);
    const wrong: string[] = [];
    for (const [file, imports] of Object.entries(graph.obj())) {
      for (const imported of imports) {
        const from = layer(file);
        const to = layer(imported);
        if (from === "detect" && to !== "detect") wrong.push(`${file} -> ${imported}`);
        if (libraries.has(from) && (to === "app" || to === "cli")) wrong.push(`${file} -> ${imported}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("the check sees a cycle made of type-only imports", async () => {
    const dir = tempDir("crisp-guard-cycle-");
    writeFileSync(join(dir, "a.ts"), 'import type { B } from "./b.js";\nexport interface A { b: B }\n');
    writeFileSync(join(dir, "b.ts"), 'export interface B { a: import("./a.js").A }\n');
    writeFileSync(join(dir, "c.ts"), 'import type { A } from "./a.js";\nexport type C = A;\n');
    const fixture = await madge(dir, { ...config, tsConfig: undefined });
    expect(fixture.circular()).toEqual([["a.ts", "b.ts"]]);
  });
});
