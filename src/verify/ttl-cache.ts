// The verifier's caches: entries that expire, kept oldest first in a Map and bounded, so a
// long-running app does not grow without end. Expired entries go first, then the oldest.

export interface CacheEntry<T> {
  value: T;
  expiresAt: number;
}

export type TtlMap<T> = Map<string, CacheEntry<T>>;

/** The entry's value while it has not expired; an expired one is dropped. */
export function fresh<T>(map: TtlMap<T>, key: string, now: () => number): T | undefined {
  const entry = map.get(key);
  if (entry === undefined) return undefined;
  if (entry.expiresAt <= now()) {
    map.delete(key);
    return undefined;
  }
  return entry.value;
}

/** Keeps `value` for ttlMs, making room first when the map holds maxEntries. */
export function remember<T>(map: TtlMap<T>, key: string, value: T, ttlMs: number, now: () => number, maxEntries: number): void {
  rememberUntil(map, key, value, now() + ttlMs, now, maxEntries);
}

/** Keeps `value` until expiresAt (epoch ms), making room first when the map holds maxEntries. */
export function rememberUntil<T>(map: TtlMap<T>, key: string, value: T, expiresAt: number, now: () => number, maxEntries: number): void {
  if (map.size >= maxEntries) prune(map, now, maxEntries);
  map.delete(key); // re-insert so Map order stays oldest-first
  map.set(key, { value, expiresAt });
}

/** Drops the expired entries, then the oldest until fewer than maxEntries are left. */
export function prune<T>(map: TtlMap<T>, now: () => number, maxEntries: number): void {
  const t = now();
  for (const [k, e] of map) if (e.expiresAt <= t) map.delete(k);
  for (const k of map.keys()) {
    if (map.size < maxEntries) break;
    map.delete(k);
  }
}
