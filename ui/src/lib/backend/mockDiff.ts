// The mock backend's unified diff (mock build and tests only): the same output shape as
// lanyard-core's `populate::diff::unified` (`--- a/config` / `+++ b/config` headers, `diff -u`
// hunk headers, 3 lines of context, `\ No newline at end of file`), computed more simply: the
// common head and tail are trimmed and the middle is diffed by LCS when small, else shown as
// removed then added. Edits made in the window touch one place, so this is exact for them.

type Op = { k: 'eq'; a: number; b: number } | { k: 'del'; a: number } | { k: 'ins'; b: number };

/** Largest middle (old lines × new lines) diffed by LCS. */
const LCS_LIMIT = 4_000_000;

function lines(text: string): string[] {
  const out = text.split('\n').map((l, i, all) => (i < all.length - 1 ? `${l}\n` : l));
  if (out[out.length - 1] === '') out.pop();
  return out;
}

function script(a: string[], b: string[]): Op[] {
  const out: Op[] = [];
  let a0 = 0;
  let b0 = 0;
  let a1 = a.length;
  let b1 = b.length;
  while (a0 < a1 && b0 < b1 && a[a0] === b[b0]) out.push({ k: 'eq', a: a0++, b: b0++ });
  const tail: Op[] = [];
  while (a0 < a1 && b0 < b1 && a[a1 - 1] === b[b1 - 1]) tail.push({ k: 'eq', a: --a1, b: --b1 });
  const n = a1 - a0;
  const m = b1 - b0;
  if (n > 0 && m > 0 && n * m <= LCS_LIMIT) {
    // lengths[i][j]: LCS of a[a0+i..a1] and b[b0+j..b1].
    const w = m + 1;
    const len = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        len[i * w + j] = a[a0 + i] === b[b0 + j] ? len[(i + 1) * w + j + 1] + 1 : Math.max(len[(i + 1) * w + j], len[i * w + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (a[a0 + i] === b[b0 + j]) out.push({ k: 'eq', a: a0 + i++, b: b0 + j++ });
      else if (len[(i + 1) * w + j] >= len[i * w + j + 1]) out.push({ k: 'del', a: a0 + i++ });
      else out.push({ k: 'ins', b: b0 + j++ });
    }
    while (i < n) out.push({ k: 'del', a: a0 + i++ });
    while (j < m) out.push({ k: 'ins', b: b0 + j++ });
  } else {
    for (let i = a0; i < a1; i++) out.push({ k: 'del', a: i });
    for (let j = b0; j < b1; j++) out.push({ k: 'ins', b: j });
  }
  return out.concat(tail.reverse());
}

function push(out: string[], mark: string, line: string) {
  if (line.endsWith('\n')) out.push(mark + line.slice(0, -1).replace(/\r$/, ''));
  else out.push(mark + line, '\\ No newline at end of file');
}

/** The unified diff from `old` to `new` (empty when equal). */
export function unifiedDiff(old: string, next: string, context = 3, oldLabel = 'a/config', newLabel = 'b/config'): string {
  if (old === next) return '';
  const a = lines(old);
  const b = lines(next);
  const ops = script(a, b);
  const out = [`--- ${oldLabel}`, `+++ ${newLabel}`];
  const changed: number[] = [];
  ops.forEach((op, k) => op.k !== 'eq' && changed.push(k));
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k] - context);
    let end = changed[k];
    while (k < changed.length && changed[k] <= end + 2 * context + 1) end = changed[k++];
    const stop = Math.min(end + context + 1, ops.length);
    const hunk = ops.slice(start, stop);
    const before = (old: boolean) => {
      const first = hunk.find((op) => (old ? op.k !== 'ins' : op.k !== 'del'));
      if (first) return (old ? (first as { a: number }).a : (first as { b: number }).b) + 1;
      return ops.slice(0, start).filter((op) => op.k === 'eq' || (old ? op.k === 'del' : op.k === 'ins')).length;
    };
    const oldLen = hunk.filter((op) => op.k !== 'ins').length;
    const newLen = hunk.filter((op) => op.k !== 'del').length;
    out.push(`@@ -${before(true)},${oldLen} +${before(false)},${newLen} @@`);
    for (const op of hunk) {
      if (op.k === 'eq') push(out, ' ', a[op.a]);
      else if (op.k === 'del') push(out, '-', a[op.a]);
      else push(out, '+', b[op.b]);
    }
  }
  return `${out.join('\n')}\n`;
}
