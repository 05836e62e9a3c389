// --exclude GLOB (repeatable) adds to the config's paths-ignore; both use one matcher.
import { pathMatcher } from "../repo-config.js";
export function ignoreMatcher(config, exclude = []) {
    return pathMatcher([...config.pathsIgnore, ...exclude]);
}
/** commander's collector for a repeatable option. */
export function collect(value, previous) {
    return [...(previous ?? []), value];
}
//# sourceMappingURL=exclude.js.map