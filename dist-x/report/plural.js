/** "1 file", "2 files": a count with its noun in the right number. */
export function plural(n, singular, pluralForm = `${singular}s`) {
    return `${n} ${n === 1 ? singular : pluralForm}`;
}
//# sourceMappingURL=plural.js.map