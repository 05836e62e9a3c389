// Lone labelled halves: a half under a Crisp label that found no partner in its own text. They are
// what a tree-level pass (cross-file.ts) may pair across files; everything else is dropped here, so
// a tree costs memory for its lone halves only.

import { HalfValue } from "./fingerprint.js";
import { isBareIdLabel, labelTier, namesCredentialHalf } from "./grammar.js";
import type { LineIndex } from "./lines.js";
import { MAX_PAIR_LINES } from "./pairing.js";
import { byStart, nearestIndex, type Placed } from "./nearest.js";
import { isDocumentedExample, isPlaceholderHalf } from "./suppress.js";
import type { TierHint } from "./tier.js";
import type { Token, WebsiteIdSighting } from "./tokens.js";
import type { LoneHalf, Tier } from "./types.js";

/**
 * A line that opens a section: `crisp:` (YAML), `[crisp]` (TOML, INI), `"crisp": {` (JSON),
 * `'crisp' => [` (PHP), `crisp = {` (HCL, Lua). One match per line, found once per text.
 */
const SECTION_RE = /^([ \t]*)(?:\[([\w.-]+)\]|["']?([\w.-]+)["']?[ \t]*(?::|=>|=)[ \t]*[[{(]?)[ \t]*$/gm;
/** `crisp: { id: …` on the value's own line, within the label look-back. */
const INLINE_SECTION_RE = /(?<![A-Za-z])crisp["']?\s*(?::|=>|=)\s*[[{(]/i;
const CRISP_WORD_RE = /(?<![A-Za-z])crisp(?![A-Za-z])/i;
/** A section for the Marketplace plugin (`plugin:`, `[crisp.plugin]`): an `id:` in it is the plugin's id. */
const PLUGIN_WORD_RE = /(?<![A-Za-z])plugins?(?![A-Za-z])/i;
/** How far before the value a same-line `crisp: {` is looked for (one short flow mapping). */
const INLINE_SECTION_LOOKBACK = 200;

interface Section extends Placed {
  /**
   * Indentation of the outermost open section named crisp at this header (−1 for a TOML
   * `[crisp]`), or Infinity: a value is inside it when its own line is indented more.
   */
  crispIndent: number;
  /** The innermost open section at this header; its enclosing ones through `up`. */
  open: OpenSection;
}

/** An open section: a persistent stack, so each header keeps its own view of it in O(1). */
interface OpenSection {
  indent: number;
  crispIndent: number;
  /** Its own name names the plugin (`plugin:` under `crisp:`, or `[crisp.plugin]`). */
  plugin: boolean;
  up: OpenSection | null;
}

/**
 * Every section header with the crisp sections open at it, by indentation: one pass over the
 * headers, a stack of open sections. A value belongs to a crisp section when the last header above
 * it has one open at an indentation less than the value's line.
 */
function crispSections(text: string, lines: LineIndex): Section[] {
  const out: Section[] = [];
  // Open sections, each with the outermost crisp indentation at or above it: O(1) per header
  // (amortized: each section is popped once).
  let top: OpenSection | null = null;
  SECTION_RE.lastIndex = 0;
  for (let m = SECTION_RE.exec(text); m; m = SECTION_RE.exec(text)) {
    if (m[0].length === 0) {
      SECTION_RE.lastIndex++;
      continue;
    }
    const table = m[2] !== undefined;
    const indent = table ? -1 : m[1]!.length;
    const name = (m[2] ?? m[3])!;
    while (top !== null && top.indent >= indent) top = top.up;
    const outer: number = top !== null ? top.crispIndent : Infinity;
    const crispIndent = outer !== Infinity ? outer : CRISP_WORD_RE.test(name) ? indent : Infinity;
    top = { indent, crispIndent, plugin: PLUGIN_WORD_RE.test(name), up: top };
    out.push({ start: m.index, line: lines.lineOf(m.index), crispIndent, open: top });
  }
  return out;
}

export interface LoneContext {
  text: string;
  path: string;
  lines: LineIndex;
  pathNamesCrisp: boolean;
  /** The text's tier hints, computed on first call. */
  hints: () => readonly TierHint[];
  websiteIds: readonly WebsiteIdSighting[];
  allowedLines: ReadonlySet<number>;
}

/** The lone halves among `unpaired`, with their hints. Linear-logarithmic: see docs/detect.md. */
export function loneHalves(unpaired: readonly Token[], ctx: LoneContext): LoneHalf[] {
  const labelled = unpaired.filter((h) => h.label && !h.label.browserGlobal && !h.listed);
  if (labelled.length === 0) return [];
  let sections: Section[] | null = null;
  // Remembered per line: halves sharing a line after a long indentation must not each rescan it.
  const indents = new Map<number, number>();
  const indentOf = (line: number, lineStart: number, limit: number): number => {
    let indent = indents.get(line);
    if (indent === undefined) {
      indent = 0;
      while (lineStart + indent < limit && (ctx.text[lineStart + indent] === " " || ctx.text[lineStart + indent] === "\t")) indent++;
      indents.set(line, indent);
    }
    return indent;
  };
  const inCrispSection = (h: Token): boolean => {
    if (h.view !== 0 || h.encoding === "base64") return false;
    const lineStart = ctx.lines.lineStart(h.line);
    if (INLINE_SECTION_RE.test(ctx.text.slice(Math.max(lineStart, h.start - INLINE_SECTION_LOOKBACK), h.start))) return true;
    sections ??= crispSections(ctx.text, ctx.lines);
    const i = lastBefore(sections, lineStart);
    if (i < 0) return false;
    return sections[i]!.crispIndent < indentOf(h.line, lineStart, h.start);
  };
  /**
   * The innermost section holding the value is a plugin section of a Crisp one (`crisp:` /
   * `plugin:` / `id: …`): the id there is the Marketplace plugin's public id, like CRISP_PLUGIN_ID.
   */
  const inPluginSection = (h: Token): boolean => {
    if (h.view !== 0 || h.encoding === "base64") return false;
    sections ??= crispSections(ctx.text, ctx.lines);
    const lineStart = ctx.lines.lineStart(h.line);
    const i = lastBefore(sections, lineStart);
    if (i < 0) return false;
    const indent = indentOf(h.line, lineStart, h.start);
    let open: OpenSection | null = sections[i]!.open;
    while (open !== null && open.indent >= indent) open = open.up;
    return open !== null && open.plugin;
  };
  let placed: { explicit: PlacedHint[]; routes: PlacedHint[] } | null = null;
  const hintTier = (h: Token): Tier | null => {
    placed ??= {
      explicit: ctx.hints().filter((x) => x.explicit).map(placeHint(ctx.lines)).sort(byStart),
      routes: ctx.hints().filter((x) => !x.explicit).map(placeHint(ctx.lines)).sort(byStart),
    };
    return nearestHintTier(placed.explicit, h) ?? nearestHintTier(placed.routes, h);
  };

  const out: LoneHalf[] = [];
  for (const h of labelled) {
    const label = h.label!;
    if (!namesCredentialHalf(label, h.kind)) continue;
    // A Crisp label: crisp in its name, in the file's path, or the section it sits in.
    if (!label.words.includes("crisp") && !ctx.pathNamesCrisp && !inCrispSection(h)) continue;
    // Not a secret on its own, so never half of one: Crisp's README examples, placeholders.
    if (h.kind === "identifier" && isDocumentedExample(h.value)) continue;
    if (isPlaceholderHalf(h.kind, h.value)) continue;
    if (ctx.allowedLines.has(h.line)) continue;
    const tier = labelTier(label) ?? hintTier(h);
    const site = ctx.websiteIds[nearestIndex(ctx.websiteIds, h)];
    out.push({
      kind: h.kind,
      half: new HalfValue(h.kind, h.value),
      occurrence: { path: ctx.path, line: h.line, column: h.column, encoding: h.encoding },
      label: label.name,
      family: `${label.group}|${labelTier(label) ?? ""}`,
      tier,
      websiteId: site && Math.abs(site.line - h.line) <= MAX_PAIR_LINES ? site.id : null,
      pluginId: h.pluginId === true || (h.kind === "identifier" && isBareIdLabel(label) && inPluginSection(h)),
    });
  }
  return out;
}

interface PlacedHint extends Placed {
  tier: Tier;
}

function placeHint(lines: LineIndex): (h: TierHint) => PlacedHint {
  return (h) => ({ start: h.offset, line: lines.lineOf(h.offset), tier: h.tier });
}

function nearestHintTier(sorted: readonly PlacedHint[], at: Placed): Tier | null {
  const best = sorted[nearestIndex(sorted, at)];
  return best && Math.abs(best.line - at.line) <= MAX_PAIR_LINES ? best.tier : null;
}

/** Index of the last entry starting before `offset`, or −1. */
function lastBefore(sorted: readonly Placed[], offset: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
