export function obj(value) {
    return value !== null && typeof value === "object" ? value : {};
}
export function str(value) {
    return typeof value === "string" ? value : null;
}
export function num(value) {
    return typeof value === "number" && Number.isFinite(value) ? value : null;
}
//# sourceMappingURL=json-fields.js.map