/** Does nothing and says so: for trying the flow, and for repositories that want a record only. */
export const noopRotator = Object.freeze({
    name: "noop",
    async rotate() {
        return { status: "skipped", detail: "noop rotator: nothing was done" };
    },
});
//# sourceMappingURL=noop.js.map