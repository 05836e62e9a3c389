// Lint with type information (typescript-eslint's project service reads tsconfig.json): the rules
// that matter most here are the promise rules, which need types to see that a value is a Promise.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "dist-x/", "action/dist/", "coverage/", "node_modules/", "bench/.corpus/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // A promise nobody awaits loses its rejection; one passed where a callback's result is
      // ignored (an event handler, forEach) does the same.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      // A leading underscore marks a parameter or binding kept on purpose (an interface's shape, a
      // field taken out of an object with `...rest`).
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
      // Off: an async function that implements a Promise-returning contract without awaiting
      // (fakes, no-op rotators, generators over memory) is correct; the promise rules above catch
      // the mistakes this one is after.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    // Off in tests: they read parsed JSON reports and payloads (any) on purpose, and the assertion
    // on each value fails when its shape is wrong.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // Plain JavaScript (scripts, bench, fixtures, this file) is outside tsconfig.json: no types.
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
  },
);
