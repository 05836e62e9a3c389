export const REPORT_FORMATS = ["text", "json", "sarif"];
//# sourceMappingURL=model.js.map