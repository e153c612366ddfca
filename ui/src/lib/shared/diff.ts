// A unified diff (as lanyard-core prints it: `--- a/config` / `+++ b/config`, `@@ -l,n +l,n @@`
// hunks, ` `/`-`/`+` lines, `\ No newline at end of file`) read into lines the DiffView shows,
// each with its kind and its line numbers in the old and new file.

export type DiffLineKind = 'file' | 'hunk' | 'context' | 'add' | 'del' | 'note';

export interface DiffLine {
  kind: DiffLineKind;
  /** The line without its marker (a hunk or file header: the whole line). */
  text: string;
  /** Its number in the old file (context and removed lines; a hunk: where it starts). */
  old: number | null;
  /** Its number in the new file (context and added lines; a hunk: where it starts). */
  new: number | null;
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function parseDiff(diff: string): DiffLine[] {
  const out: DiffLine[] = [];
  let oldNo = 0;
  let newNo = 0;
  let inHunk = false;
  const lines = diff.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    const hunk = HUNK.exec(line);
    if (hunk) {
      inHunk = true;
      oldNo = Number(hunk[1]);
      newNo = Number(hunk[2]);
      out.push({ kind: 'hunk', text: line, old: oldNo, new: newNo });
      // `-0,0` / `+0,0`: the side has no line; the next one is line 1.
      if (oldNo === 0) oldNo = 1;
      if (newNo === 0) newNo = 1;
    } else if (!inHunk && (line.startsWith('--- ') || line.startsWith('+++ '))) {
      out.push({ kind: 'file', text: line, old: null, new: null });
    } else if (line.startsWith('+')) {
      out.push({ kind: 'add', text: line.slice(1), old: null, new: newNo++ });
    } else if (line.startsWith('-')) {
      out.push({ kind: 'del', text: line.slice(1), old: oldNo++, new: null });
    } else if (line.startsWith('\\')) {
      out.push({ kind: 'note', text: line.slice(1).trim(), old: null, new: null });
    } else {
      out.push({ kind: 'context', text: line.startsWith(' ') ? line.slice(1) : line, old: oldNo++, new: newNo++ });
    }
  }
  return out;
}

/** How many lines the diff adds and removes. */
export function diffCounts(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of lines) {
    if (l.kind === 'add') added++;
    else if (l.kind === 'del') removed++;
  }
  return { added, removed };
}
