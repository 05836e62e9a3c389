// The container image and the package, as files: what a build without a Docker daemon can still check.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

function stages(dockerfile: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of dockerfile.split(/^(?=FROM )/m).filter((p) => p.startsWith("FROM "))) {
    const name = / AS (\w+)/i.exec(part.split("\n")[0]!)?.[1] ?? "";
    out.set(name, part);
  }
  return out;
}

describe("Dockerfile", () => {
  const dockerfile = readFileSync("Dockerfile", "utf8");
  const s = stages(dockerfile);

  it("builds with dev dependencies, installs production ones from the package tarball", () => {
    expect(s.get("build")).toMatch(/npm ci --ignore-scripts/);
    expect(s.get("build")).toMatch(/npm run build && mkdir -p \/build\/pkg && npm pack/);
    expect(s.get("prod")).toMatch(/npm ci --omit=dev --ignore-scripts/);
    expect(s.get("prod")).toMatch(/npm rebuild better-sqlite3/);
  });

  it("runs as a non-root user on a slim Node image with git and no compiler", () => {
    const runtime = s.get("runtime")!;
    expect(runtime.split("\n")[0]).toMatch(/^FROM node:22-bookworm-slim AS runtime$/);
    expect(runtime).toMatch(/apt-get install -y --no-install-recommends git ca-certificates/);
    expect(runtime).not.toMatch(/g\+\+|make|python3|npm ci/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["crisp-guard"\]$/m);
    expect(runtime).toMatch(/COPY --from=prod \/app \/app/);
  });

  it("keeps secrets and local builds out of the build context", () => {
    const ignored = readFileSync(".dockerignore", "utf8").split("\n");
    for (const entry of [".git", "node_modules", "dist", ".env", "*.db", "data"]) expect(ignored).toContain(entry);
  });
});

describe("package.json", () => {
  const pkg = JSON.parse(readFileSync("package.json", "utf8"));

  it("ships the build, app.yml and README; the CLI bin is in dist", () => {
    expect(pkg.files).toEqual(expect.arrayContaining(["dist", "app.yml", "README.md"]));
    expect(pkg.bin["crisp-guard"]).toBe("./dist/cli/main.js");
  });

  it("needs nothing at run time that is only a dev dependency", () => {
    for (const dev of ["typescript", "esbuild", "vitest", "nock", "ajv"]) expect(pkg.dependencies[dev]).toBeUndefined();
    expect(pkg.scripts["build:action"]).toBeDefined();
  });
});
