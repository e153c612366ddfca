import { describe, expect, it } from 'vitest';
import { diffCounts, parseDiff } from './diff';

const DIFF = `--- a/config
+++ b/config
@@ -3,4 +3,4 @@
 [profile dev]
 sso_session = corp
-region = eu-west-1
+region = eu-central-1
 output = json
@@ -0,0 +1,1 @@
+# new
\\ No newline at end of file
`;

describe('parseDiff', () => {
  it('reads file headers, hunks, context, added and removed lines with their numbers', () => {
    const lines = parseDiff(DIFF);
    expect(lines.map((l) => l.kind)).toEqual(['file', 'file', 'hunk', 'context', 'context', 'del', 'add', 'context', 'hunk', 'add', 'note']);
    expect(lines[2]).toEqual({ kind: 'hunk', text: '@@ -3,4 +3,4 @@', old: 3, new: 3 });
    expect(lines[5]).toEqual({ kind: 'del', text: 'region = eu-west-1', old: 5, new: null });
    expect(lines[6]).toEqual({ kind: 'add', text: 'region = eu-central-1', old: null, new: 5 });
    expect(lines[7]).toMatchObject({ kind: 'context', text: 'output = json', old: 6, new: 6 });
    expect(lines[9]).toMatchObject({ kind: 'add', new: 1 });
    expect(diffCounts(lines)).toEqual({ added: 2, removed: 1 });
  });

  it('takes a --- or +++ line inside a hunk as a removed or added line', () => {
    const lines = parseDiff('--- a\n+++ b\n@@ -1,1 +1,1 @@\n--- x\n+++ y\n');
    expect(lines.slice(3)).toMatchObject([
      { kind: 'del', text: '-- x' },
      { kind: 'add', text: '++ y' },
    ]);
  });

  it('reads an empty diff as no lines', () => {
    expect(parseDiff('')).toEqual([]);
  });
});
