// Runs another Node entry point in this process and prints its peak RSS to stderr at exit.
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], resolve(script), ...args];
process.on("exit", () => {
  process.stderr.write(`RSS_WRAP_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
await import(pathToFileURL(resolve(script)).href);
