// --exclude GLOB (repeatable) adds to the config's paths-ignore; both use one matcher.
import { pathMatcher, type RepoConfig } from "../config/repo-config.js";

export function ignoreMatcher(config: RepoConfig, exclude: readonly string[] = []): (path: string) => boolean {
  return pathMatcher([...config.pathsIgnore, ...exclude]);
}

/** commander's collector for a repeatable option. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
