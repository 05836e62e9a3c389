#!/usr/bin/env bash
# The package as a user gets it: `npm pack`, `npm install -g` of the tarball into a scratch prefix,
# then the installed `crisp-guard` runs: --version, and a dir scan that finds a generated keypair.
# Run by .ci/run after npm test (it is slow for vitest). Cleans up after itself.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="$(mktemp -d "${TMPDIR:-/tmp}/crisp-guard-pack.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

# Plain `npm pack`: its stdout must be the tarball's name and nothing else (the pre-commit framework
# installs the hook from it; .npmrc keeps the `prepare` banner out).
packed="$(npm pack --pack-destination "$scratch")"
tarball="$(ls "$scratch"/crisp-guard-*.tgz)"
[ "$packed" = "$(basename "$tarball")" ] || { echo "test-pack: npm pack printed more than the tarball's name:" >&2; printf '%s\n' "$packed" >&2; exit 1; }

# What the tarball holds: the build and the docs, never the sources' tests or a stray secret file.
listing="$(tar -tzf "$tarball")"
for needed in package/dist/cli/main.js package/dist/app/index.js package/app.yml package/README.md package/package.json; do
  grep -qx "$needed" <<<"$listing" || { echo "test-pack: $needed missing from the tarball" >&2; exit 1; }
done
if grep -Eq '^package/(test|src|node_modules|\.env)' <<<"$listing"; then
  echo "test-pack: the tarball holds files it should not:" >&2
  grep -E '^package/(test|src|node_modules|\.env)' <<<"$listing" >&2
  exit 1
fi

# A prefix of its own and a cache of its own, so nothing global is touched.
npm install -g --prefix "$scratch/prefix" --no-audit --no-fund --loglevel=error "$tarball"
bin="$scratch/prefix/bin/crisp-guard"

version="$("$bin" --version)"
expected="$(node -p 'require("./package.json").version')"
[ "$version" = "$expected" ] || { echo "test-pack: --version printed '$version', expected '$expected'" >&2; exit 1; }

# A generated keypair (never a fixed one), in a directory outside the repository.
mkdir "$scratch/project"
node -e '
  const { randomUUID, randomBytes } = require("node:crypto");
  process.stdout.write(`# crisp support widget\nCRISP_IDENTIFIER=${randomUUID()}\nCRISP_KEY=${randomBytes(32).toString("hex")}\n`);
' >"$scratch/project/.env"
key="$(sed -n 's/^CRISP_KEY=//p' "$scratch/project/.env")"

set +e
(cd "$scratch/project" && env -i PATH="$PATH" HOME="$scratch" "$bin" dir . >"$scratch/out" 2>"$scratch/err")
code=$?
set -e
[ "$code" -eq 1 ] || { echo "test-pack: dir exited $code, expected 1" >&2; cat "$scratch/out" "$scratch/err" >&2; exit 1; }
grep -q '^  at \.env:3:' "$scratch/out" || { echo "test-pack: the finding is not in the report" >&2; cat "$scratch/out" >&2; exit 1; }
if grep -q "$key" "$scratch/out" "$scratch/err"; then echo "test-pack: the raw key was printed" >&2; exit 1; fi

echo "test-pack: $(basename "$tarball") installs; crisp-guard $version runs and finds a keypair (exit 1)"
