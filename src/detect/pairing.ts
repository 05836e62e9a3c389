// Pairs each key with the identifier it belongs to. Evidence, strongest first:
//  1. adjacency: the two written together, `id:key` (curl --user, URL user-info, Basic auth) or
//     consecutive call arguments authenticate("id", "key");
//  2. label affinity: CRISP_KEY_STAGING with CRISP_IDENTIFIER_STAGING (same qualifier words);
//  3. distance: nearest first, never crossing (two .env blocks each pair within themselves);
//  4. a second copy of a labelled key (a commented-out line) reuses its block's identifier.

import { nearestIndex } from "./nearest.js";
import type { Token } from "./tokens.js";

export interface Pair {
  identifier: Token;
  key: Token;
}

/** The halves of one keypair may sit dozens of lines apart; a config file's section stays well within this. */
export const MAX_PAIR_LINES = 200;
/** On one line (a minified bundle), halves further apart than this belong to different code. */
export const MAX_PAIR_CHARS_ON_LINE = 4096;
/** Between adjacent halves: quotes, spaces, escapes and one ':' or ','. Longer is not "together". */
const MAX_ADJACENT_GAP = 24;
const ADJACENT_GAP_RE = /^[\s"'`\\]*[:,][\s"'`\\]*$/;

/** Text order: by occurrence offset, then within a decoded run. */
function order(a: Token, b: Token): number {
  return a.start - b.start || a.view - b.view || a.viewStart - b.viewStart;
}

export function distance(a: Token, b: Token): number {
  const lines = Math.abs(a.line - b.line);
  const chars = Math.abs(a.start - b.start) + (a.view === b.view ? Math.abs(a.viewStart - b.viewStart) : 0);
  if (lines > MAX_PAIR_LINES) return Infinity;
  if (lines === 0 && chars > MAX_PAIR_CHARS_ON_LINE) return Infinity;
  return lines * 1e9 + chars;
}

function adjacentPairs(tokens: readonly Token[], views: readonly string[]): Pair[] {
  const pairs: Pair[] = [];
  const sorted = [...tokens].sort((a, b) => a.view - b.view || a.viewStart - b.viewStart);
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    if (a.kind !== "identifier" || b.kind !== "key" || a.view !== b.view) continue;
    if (b.viewStart - a.viewEnd > MAX_ADJACENT_GAP) continue;
    if (!ADJACENT_GAP_RE.test(views[a.view]!.slice(a.viewEnd, b.viewStart))) continue;
    pairs.push({ identifier: a, key: b });
    i++;
  }
  return pairs;
}

/** A binary min-heap of candidate pairings keyed by distance. */
class Heap {
  readonly #items: [number, number, number][] = [];
  get size(): number {
    return this.#items.length;
  }
  push(item: [number, number, number]): void {
    const a = this.#items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (a[p]![0] <= a[i]![0]) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  pop(): [number, number, number] | undefined {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]![0] < a[m]![0]) m = l;
        if (r < a.length && a[r]![0] < a[m]![0]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Halves that alternate in one fixed order (key, identifier, key, identifier, … or the other way)
 * are records written alike: a key-first .env, a YAML list of { key, identifier }. They pair record
 * by record. By distance alone, a key-first layout would pair each identifier with the next
 * record's key (a UUID is shorter than a key), missing both secrets. Null when the halves do not
 * form such records: a record must hold together, in lines, at least as tightly as it sits from the next.
 */
function recordPairs(t: readonly Token[]): Pair[] | null {
  if (t.length < 4 || t.length % 2 !== 0 || t[0]!.kind === t[1]!.kind) return null;
  const pairs: Pair[] = [];
  for (let i = 0; i < t.length; i += 2) {
    const a = t[i]!;
    const b = t[i + 1]!;
    if (a.kind !== t[0]!.kind || b.kind !== t[1]!.kind || distance(a, b) === Infinity) return null;
    const next = t[i + 2];
    if (next && Math.abs(b.line - a.line) > Math.abs(next.line - b.line)) return null;
    pairs.push(a.kind === "identifier" ? { identifier: a, key: b } : { identifier: b, key: a });
  }
  return pairs;
}

/**
 * Pairs neighbours in text order, closest first, removing each pair and letting its outer
 * neighbours become adjacent: pairs nest or follow each other, never cross. O(n log n).
 */
export function pairNonCrossing(tokens: readonly Token[]): Pair[] {
  const t = [...tokens].sort(order);
  const records = recordPairs(t);
  if (records) return records;
  const n = t.length;
  const prev = t.map((_, i) => i - 1);
  const next = t.map((_, i) => (i + 1 < n ? i + 1 : -1));
  const alive = t.map(() => true);
  const heap = new Heap();
  const offer = (i: number, j: number): void => {
    if (i < 0 || j < 0 || t[i]!.kind === t[j]!.kind) return;
    const d = distance(t[i]!, t[j]!);
    if (d !== Infinity) heap.push([d, i, j]);
  };
  for (let i = 0; i + 1 < n; i++) offer(i, i + 1);
  const pairs: Pair[] = [];
  while (heap.size > 0) {
    const [, i, j] = heap.pop()!;
    // Stale entry: one side was paired since. (Two live entries pushed as neighbours stay neighbours.)
    if (!alive[i] || !alive[j]) continue;
    alive[i] = alive[j] = false;
    const a = t[i]!;
    const b = t[j]!;
    pairs.push(a.kind === "identifier" ? { identifier: a, key: b } : { identifier: b, key: a });
    const p = prev[i]!;
    const q = next[j]!;
    if (p >= 0) next[p] = q;
    if (q >= 0) prev[q] = p;
    offer(p, q);
  }
  return pairs;
}

export function pairHalves(halves: readonly Token[], views: readonly string[]): Pair[] {
  const pairs = adjacentPairs(halves, views);
  const used = new Set<Token>(pairs.flatMap((p) => [p.identifier, p.key]));
  const take = (found: Pair[]): void => {
    for (const p of found) {
      pairs.push(p);
      used.add(p.identifier);
      used.add(p.key);
    }
  };
  // A listed key (one of a run of digests) only counts when written together with an identifier.
  const free = (): Token[] => halves.filter((h) => !used.has(h) && !h.listed);

  const byGroup = new Map<string, Token[]>();
  for (const h of free()) {
    if (!h.label) continue;
    const bucket = byGroup.get(h.label.group) ?? [];
    bucket.push(h);
    byGroup.set(h.label.group, bucket);
  }
  for (const bucket of byGroup.values()) take(pairNonCrossing(bucket));

  take(pairNonCrossing(free()));

  // A leftover labelled key takes the nearest identifier of its label group, used or not: found by
  // binary search in the group's identifiers (sorted by offset), so a huge one-line file stays fast.
  const identifiersByGroup = new Map<string, Token[]>();
  for (const h of halves) {
    if (h.kind !== "identifier" || !h.label) continue;
    const list = identifiersByGroup.get(h.label.group) ?? [];
    list.push(h);
    identifiersByGroup.set(h.label.group, list);
  }
  for (const list of identifiersByGroup.values()) list.sort((a, b) => a.start - b.start);
  // Only a second copy of the same label (a commented-out old key) reuses a block's identifier: a
  // `secret:` beside `key:` in the same section is another credential (a webhook secret).
  const keyNamesOf = new Map<Token, Set<string>>();
  for (const p of pairs) {
    if (!p.key.label) continue;
    const names = keyNamesOf.get(p.identifier) ?? new Set<string>();
    names.add(p.key.label.name.toLowerCase());
    keyNamesOf.set(p.identifier, names);
  }
  for (const key of free()) {
    if (key.kind !== "key" || !key.label) continue;
    const group = identifiersByGroup.get(key.label.group) ?? [];
    const best = group[nearestIndex(group, key)];
    if (!best || distance(best, key) === Infinity) continue;
    if (keyNamesOf.has(best) && !keyNamesOf.get(best)!.has(key.label.name.toLowerCase())) continue;
    take([{ identifier: best, key }]);
  }
  return pairs.sort((a, b) => order(a.key, b.key));
}
