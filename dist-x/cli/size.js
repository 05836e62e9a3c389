import { CliError } from "./io.js";
const UNITS = { "": 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };
/** Parses "25MB", "512k", "1048576" into bytes. */
export function parseSize(value) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?b?)\s*$/i.exec(value);
    const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
    if (!m || unit === undefined)
        throw new CliError(`invalid size "${value}" (examples: 25MB, 512KB, 1048576)`);
    return Math.floor(Number(m[1]) * unit);
}
//# sourceMappingURL=size.js.map