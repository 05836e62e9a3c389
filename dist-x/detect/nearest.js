// "Nearest" in the detector's sense: fewer lines first, then fewer characters. Both grow with the
// distance in offsets, so in a list sorted by offset the nearest to a point is one of the two
// entries around it: found by binary search, which keeps large files linear-logarithmic.
export function textDistance(a, b) {
    return Math.abs(a.line - b.line) * 1e9 + Math.abs(a.start - b.start);
}
/** Index of the entry nearest `at` in `sorted` (ascending by start), or -1 when it is empty. */
export function nearestIndex(sorted, at) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid].start < at.start)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (sorted.length === 0)
        return -1;
    if (lo === 0)
        return 0;
    if (lo === sorted.length)
        return lo - 1;
    return textDistance(sorted[lo - 1], at) <= textDistance(sorted[lo], at) ? lo - 1 : lo;
}
export function byStart(a, b) {
    return a.start - b.start;
}
//# sourceMappingURL=nearest.js.map