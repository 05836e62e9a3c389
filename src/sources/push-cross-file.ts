// Pure: the keypairs a push completed across files. The push added a lone labelled half (the key in
// .env); the tree at the pushed head holds its partner in another file (the identifier in
// config.yaml). pairAcrossFiles decides on the whole tree's lone halves, unambiguous pairs only;
// a pair is the push's when at least one of its halves is one the push added, so a pair the tree
// held before is not reported again on every push that adds some unrelated lone half.
import { pairAcrossFiles } from "../detect/index.js";
import type { Candidate, LoneHalf, Occurrence } from "../detect/types.js";
import type { PushCandidate, PushLoneHalf } from "./push.js";

const halfId = (kind: string, value: string) => `${kind}:${value}`;

/**
 * Candidates for the keypairs completed by the push. A half the push added keeps its occurrences
 * in the commits that added it (with their diff positions); the partner it found in the tree is
 * given the commit that completed the pair (the earliest that added a half of it), so that commit's
 * comment names both files. The partner's line is its line at the pushed head.
 */
export function pairPushHalves(pushed: readonly PushLoneHalf[], tree: readonly LoneHalf[]): PushCandidate[] {
  if (pushed.length === 0) return [];
  const byHalf = new Map<string, PushLoneHalf[]>();
  for (const p of pushed) {
    const id = halfId(p.kind, p.half.reveal());
    const list = byHalf.get(id) ?? [];
    list.push(p);
    byHalf.set(id, list);
  }
  const pairs = new Map<string, Candidate>();
  for (const c of pairAcrossFiles(tree)) if (!pairs.has(c.fingerprint)) pairs.set(c.fingerprint, c);

  const out: PushCandidate[] = [];
  for (const pair of pairs.values()) {
    // In memory only, to match the halves the push added; never stored or printed.
    const { identifier, key } = pair.keypair.reveal();
    const pushedId = byHalf.get(halfId("identifier", identifier)) ?? [];
    const pushedKey = byHalf.get(halfId("key", key)) ?? [];
    const introducing = [...pushedId, ...pushedKey].sort((x, y) => pushed.indexOf(x) - pushed.indexOf(y))[0];
    if (!introducing) continue;
    const commit = introducing.occurrence.commit;
    const template = { keypair: pair.keypair, fingerprint: pair.fingerprint, tier: pair.tier, websiteId: pair.websiteId, suppressed: pair.suppressed };
    const side = (kind: "identifier" | "key", value: string, added: PushLoneHalf[]) => {
      if (added.length > 0) {
        for (const a of added) out.push({ ...template, occurrence: { ...a.occurrence }, position: a.position });
        return;
      }
      for (const t of tree) {
        if (t.kind !== kind || t.half.reveal() !== value) continue;
        const occurrence: Occurrence = { ...t.occurrence, ...(commit ? { commit } : {}) };
        out.push({ ...template, occurrence, position: null });
      }
    };
    side("identifier", identifier, pushedId);
    side("key", key, pushedKey);
  }
  return out;
}
