// Shared domain types. Pure data: no I/O, no imports from outside detect/.
export const UNVERIFIED = Object.freeze({
    status: "unverified",
    tier: null,
    reason: "verification not requested",
    checkedAt: null,
});
//# sourceMappingURL=types.js.map