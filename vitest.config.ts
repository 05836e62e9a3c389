import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests never reach the internet; each file that does HTTP calls nock.disableNetConnect().
    pool: "forks",
    setupFiles: ["test/setup.ts"],
    // CI reads the counts from this file to print a plain "N passed, N failed" line.
    reporters: process.env.CI ? ["default", ["json", { outputFile: "test-results.json" }]] : ["default"],
  },
});
