// `git ls-tree -z` output, parsed once for every reader of it.

export interface LsTreeEntry {
  mode: string;
  type: string;
  oid: string;
  path: string;
}

/** Parses `git ls-tree -z` records: `<mode> SP <type> SP <oid> TAB <path> NUL`. */
export function parseLsTreeEntries(output: string): LsTreeEntry[] {
  const out: LsTreeEntry[] = [];
  for (const record of output.split("\0")) {
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const [mode, type, oid] = record.slice(0, tab).split(" ");
    if (!mode || !type || !oid) continue;
    out.push({ mode, type, oid, path: record.slice(tab + 1) });
  }
  return out;
}
