// The mock's config model and diff: the version is the SHA-1 the app computes, the diff has the
// shape lanyard-core prints (the same cases as populate/diff.rs's tests), and the large data set
// is what the search benchmark needs.
import { describe, expect, it } from 'vitest';
import { ConfigModel, section, sha1 } from './mockConfig';
import { bulkData } from './mockData';
import { unifiedDiff } from './mockDiff';

describe('sha1', () => {
  it('is SHA-1 of the UTF-8 bytes, lowercase hex', () => {
    expect(sha1('')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(sha1('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(sha1('a'.repeat(1000))).toBe('291e9a6c66994949b57ba5e650361e98fc36b1ba');
    expect(sha1('設定')).toBe(sha1('設定'));
    expect(sha1('設定')).not.toBe(sha1('设定'));
  });
});

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).toBe('');
  });

  it('shows an append as one hunk with leading context', () => {
    expect(unifiedDiff('1\n2\n3\n4\n5\n', '1\n2\n3\n4\n5\n[profile x]\nk = v\n')).toBe(
      '--- a/config\n+++ b/config\n@@ -3,3 +3,5 @@\n 3\n 4\n 5\n+[profile x]\n+k = v\n',
    );
  });

  it('marks a missing final line break and counts an empty old side from 0', () => {
    expect(unifiedDiff('a\nb', 'a\nc', 3, 'x', 'y')).toBe(
      '--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n',
    );
    expect(unifiedDiff('', 'a\n', 3, 'x', 'y')).toBe('--- x\n+++ y\n@@ -0,0 +1,1 @@\n+a\n');
  });

  it('makes separate hunks of far-apart changes', () => {
    const old = Array.from({ length: 30 }, (_, i) => `${i}`).join('\n') + '\n';
    const next = old.replace('2\n', 'two\n').replace('25\n', 'twenty-five\n');
    expect(unifiedDiff(old, next).match(/^@@/gm)).toHaveLength(2);
  });
});

describe('ConfigModel', () => {
  it('prints sections, comments and nested blocks, and versions the text', () => {
    const m = new ConfigModel([
      section('profile ops', '# a comment', 'region = us-east-1', 's3 =', '  max_concurrent_requests = 20'),
      section('sso-session corp', 'sso_start_url = https://x.awsapps.com/start', 'sso_region = us-east-1'),
    ]);
    expect(m.text()).toBe(
      '[profile ops]\n# a comment\nregion = us-east-1\ns3 =\n  max_concurrent_requests = 20\n\n[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n',
    );
    expect(m.version()).toBe(sha1(m.text()));
    expect(m.detail('ops')).toMatchObject({ line: 1, keys: [{ key: 'region', value: 'us-east-1' }], nested: ['s3'] });
  });

  it('finds what lanyard-core finds in a profile, beside the key', () => {
    const m = new ConfigModel([
      section('profile p', 'sso_session = nope', 'sso_account_id = 12', 'sso_role_name = R', 'region = Tokyo'),
    ]);
    const f = m.findings('p').map((x) => [x.code, x.severity, x.key, x.line]);
    expect(f).toEqual([
      ['account_id_format', 'warning', 'sso_account_id', 3],
      ['region_format', 'warning', 'region', 5],
      ['sso_session_not_found', 'error', 'sso_session', 2],
    ]);
  });
});

describe('bulkData', () => {
  it('generates N named, varied profiles over 12-digit accounts, the same every time', () => {
    const { sections, accounts } = bulkData(2000);
    expect(sections).toHaveLength(2000);
    const names = sections.map((s) => s.header);
    expect(new Set(names).size).toBe(2000);
    expect(accounts.every((a) => /^\d{12}$/.test(a.account_id) && a.account_name)).toBe(true);
    const text = new ConfigModel(sections).text();
    expect(text).toContain('lanyard_generated = corp');
    expect(text).toContain('sso_session = lab');
    expect(text).toContain('sso_start_url = https://');
    expect(text).toContain('credential_process = ');
    expect(bulkData(2000).sections[1234]).toEqual(sections[1234]);
  });
});
