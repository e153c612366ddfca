// The mock backend over the CLI fixtures: the fixtures are real `lanyard --json` output (their
// shapes are checked against the Rust DTOs by src-tauri's dto tests); here, that the mock shifts
// their times to now, answers like the app, and that no fixture holds anything secret.
import { describe, expect, it } from 'vitest';
import { createMockBackend } from './mock';

const fixtures: Record<string, string> = import.meta.glob('./fixtures/*.json', {
  query: '?raw',
  import: 'default',
  eager: true,
});

describe('fixtures', () => {
  it('are the CLI outputs the mock needs', () => {
    expect(Object.keys(fixtures).sort()).toEqual([
      './fixtures/accounts.json',
      './fixtures/meta.json',
      './fixtures/profiles.json',
      './fixtures/status.json',
    ]);
  });

  it.each(Object.entries(fixtures))('%s holds no secret', (_, text) => {
    expect(text).not.toMatch(/accessToken|refreshToken|clientSecret|secretAccessKey|sessionToken|access_token/i);
  });
});

describe('createMockBackend', () => {
  it('shifts the fixture times so that a signed-in session has time left now', async () => {
    const b = createMockBackend();
    const { sessions } = await b.sessionsOverview();
    const valid = sessions.find((s) => s.state === 'valid');
    expect(valid).toBeDefined();
    const left = Date.parse(valid!.session_ends_at!) - Date.now();
    expect(left).toBeGreaterThan(60 * 60_000);
    expect(left).toBeLessThanOrEqual(8 * 60 * 60_000);
    expect(valid!.end_is_estimate).toBe(true);
  });

  it('signs in with a device code where the session chose one, then reports the end', async () => {
    const b = createMockBackend({ signInMs: 5 });
    const codes: string[] = [];
    const done = new Promise<boolean>((resolve) => b.onSignInDone((d) => resolve(d.ok)));
    await b.onDeviceCode((c) => codes.push(c.session));
    await b.signIn('lab');
    expect(codes).toEqual(['lab']);
    expect(await done).toBe(true);
    expect((await b.sessionsOverview()).sessions.find((s) => s.name === 'lab')?.state).toBe('valid');
  });

  it('cancels a waiting sign-in: the end is reported as cancelled and the session stays signed out', async () => {
    const b = createMockBackend({ signInMs: 60_000 });
    const done = new Promise<string | null>((resolve) => b.onSignInDone((d) => resolve(d.code)));
    await b.signIn('lab');
    await b.cancelSignIn('lab');
    expect(await done).toBe('cancelled');
    expect(await b.deviceSignIns()).toEqual([]);
    expect((await b.sessionsOverview()).sessions.find((s) => s.name === 'lab')?.state).not.toBe('valid');
  });

  it('refuses what the app refuses, by code', async () => {
    const b = createMockBackend();
    await expect(b.deleteSsoSession('corp')).rejects.toMatchObject({ code: 'in_use' });
    await expect(
      b.saveSsoSession(
        { name: 'x', start_url: 'http://x', region: 'us-east-1', scopes: null, use_device_code: false, storage: 'file', duration: null },
        true,
      ),
    ).rejects.toMatchObject({ code: 'invalid_start_url' });
    await expect(b.refreshSession('nope')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('the mock profile editor', () => {
  it('opens a profile as the file has it: raw text, plain keys, nested blocks, version', async () => {
    const b = createMockBackend();
    const ops = await b.getProfile('ops');
    expect(ops.text).toMatch(/^\[profile ops\]\nsso_session = corp\n[\s\S]*s3 =\n {2}max_concurrent_requests = 20\n/);
    expect(ops.keys.map((k) => k.key)).toEqual(['sso_session', 'sso_account_id', 'sso_role_name', 'region']);
    expect(ops.nested).toEqual(['s3']);
    expect(ops.version).toMatch(/^[0-9a-f]{40}$/);
    expect((await b.listProfiles()).version).toBe(ops.version);
    await expect(b.getProfile('nope')).rejects.toMatchObject({ code: 'profile_not_found' });
  });

  it('previews without writing, then saves: the version changes and the list follows', async () => {
    const b = createMockBackend();
    const dev = await b.getProfile('dev');
    const keys = dev.keys.map((k) => (k.key === 'region' ? { ...k, value: 'eu-central-1' } : k));
    const change = { op: 'update' as const, name: 'dev', new_name: 'dev', keys };
    const preview = await b.editProfile(change, dev.version, false);
    expect(preview).toMatchObject({ outcome: 'preview', version: dev.version });
    expect(preview.outcome === 'preview' && preview.diff).toContain('-region = eu-west-1\n+region = eu-central-1\n');
    expect(b.mock.configVersion()).toBe(dev.version);
    const saved = await b.editProfile(change, dev.version, true);
    expect(saved.outcome).toBe('saved');
    expect(saved.version).not.toBe(dev.version);
    expect((await b.listProfiles()).profiles.find((p) => p.name === 'dev')?.region).toBe('eu-central-1');
    // The comment in dev's section is kept.
    expect((await b.getProfile('dev')).text).toContain('# The team account everyone starts in.');
  });

  it('refuses an edit that brings in an error, and reports warnings in the preview', async () => {
    const b = createMockBackend();
    const dev = await b.getProfile('dev');
    const with_ = (key: string, value: string) => dev.keys.map((k) => (k.key === key ? { key, value } : k));
    const bad = await b.editProfile({ op: 'update', name: 'dev', new_name: 'dev', keys: with_('sso_session', 'nope') }, dev.version, true);
    expect(bad.outcome).toBe('invalid');
    expect(bad.outcome === 'invalid' && bad.findings.map((f) => [f.code, f.key])).toEqual([['sso_session_not_found', 'sso_session']]);
    expect(b.mock.configVersion()).toBe(dev.version);
    const warn = await b.editProfile({ op: 'update', name: 'dev', new_name: 'dev', keys: with_('region', 'Tokyo') }, dev.version, false);
    expect(warn.outcome === 'preview' && warn.findings.map((f) => f.code)).toEqual(['region_format']);
  });

  it('never writes over another program: a stale version is a conflict with what changed', async () => {
    const b = createMockBackend();
    const dev = await b.getProfile('dev');
    b.mock.externalEdit({ profile: 'dev', key: 'output', value: 'yaml' });
    const out = await b.editProfile({ op: 'delete', name: 'dev' }, dev.version, true);
    expect(out.outcome).toBe('conflict');
    expect(out.outcome === 'conflict' && out.changes).toContain('-output = json\n+output = yaml\n');
    expect(out.version).toBe(b.mock.configVersion());
    expect((await b.getProfile('dev')).keys).toContainEqual({ key: 'output', value: 'yaml' });
  });

  it('creates, duplicates, renames and deletes, refusing taken and bad names by code', async () => {
    const b = createMockBackend();
    const v = () => b.mock.configVersion();
    await b.editProfile({ op: 'create', name: 'new', keys: [{ key: 'region', value: 'us-east-1' }] }, v(), true);
    await b.editProfile({ op: 'duplicate', name: 'ops', new_name: 'ops-copy' }, v(), true);
    expect((await b.getProfile('ops-copy')).nested).toEqual(['s3']);
    await expect(b.editProfile({ op: 'create', name: 'dev', keys: [] }, v(), false)).rejects.toMatchObject({ code: 'profile_exists' });
    await expect(b.editProfile({ op: 'create', name: 'a]b', keys: [] }, v(), false)).rejects.toMatchObject({ code: 'invalid_profile_name' });
    const copy = await b.getProfile('ops-copy');
    await b.editProfile({ op: 'update', name: 'ops-copy', new_name: 'ops-2', keys: copy.keys }, v(), true);
    await b.editProfile({ op: 'delete', name: 'new' }, v(), true);
    const names = (await b.listProfiles()).profiles.map((p) => p.name);
    expect(names).toContain('ops-2');
    expect(names).not.toContain('ops-copy');
    expect(names).not.toContain('new');
  });

  it('tests a profile through its signed-in session, and refuses signed-out ones by code', async () => {
    const b = createMockBackend();
    expect(await b.testProfile('dev')).toMatchObject({ account: '111122223333', arn: expect.stringContaining('assumed-role/AWSReservedSSO_Developer') });
    await expect(b.testProfile('lab-admin')).rejects.toMatchObject({ code: 'not_signed_in' });
    await expect(b.testProfile('nope')).rejects.toMatchObject({ code: 'profile_not_found' });
  });
});

describe('the mock populate', () => {
  it('previews template names from the cached account list, or says why the template fails', async () => {
    const b = createMockBackend();
    const names = await b.populateNames('corp', '{account_name}.{role_name}', 3);
    expect(names.total).toBe(12);
    expect(names.names.map((n) => n.profile)).toEqual(['acme-ci-dev.PowerUserAccess', 'acme-ci-dev.ReadOnlyAccess', 'acme-ci-prod.DeveloperAccess']);
    expect((await b.populateNames('corp', '{account}', 3)).error).toContain('unknown field {account}');
    expect(await b.populateNames('lab', '{account_id}', 3)).toEqual({ names: [], total: 0, error: null });
  });

  it('dry-runs with progress, counts what it would do, and applies only at that version', async () => {
    const b = createMockBackend({ stepMs: 0 });
    const seen: { done: number; total: number; total_final: boolean }[] = [];
    await b.onPopulateProgress((p) => seen.push(p));
    const request = { session: 'corp', template: '{account_name}.{role_name}', region: null, output: null, mode: 'sync' as const, refresh: true };
    const plan = await b.populatePreview(request);
    expect(seen.length).toBeGreaterThan(2);
    expect(seen[0].total_final).toBe(false);
    expect(seen.at(-1)).toMatchObject({ done: 6, total: 6, total_final: true });
    expect(plan).toMatchObject({ add: 11, update: 0, remove: 0, kept: 1, unchanged: 1, suffixed: 0 });
    expect(plan.diff).toContain('+[profile acme-management.AdministratorAccess]\n');
    const pruned = await b.populatePreview({ ...request, mode: 'prune', refresh: false });
    expect(pruned).toMatchObject({ remove: 1, kept: 0 });
    expect(pruned.diff).toContain('-[profile acme-retired.ReadOnlyAccess]\n');
    b.mock.externalEdit();
    const conflict = await b.populateApply(request, plan.version);
    expect(conflict.outcome).toBe('conflict');
    const again = await b.populatePreview({ ...request, refresh: false });
    const saved = await b.populateApply(request, again.version);
    expect(saved.outcome).toBe('saved');
    expect((await b.listProfiles()).profiles.filter((p) => p.generated === 'corp')).toHaveLength(13);
  });

  it('refuses a session that is signed out', async () => {
    const b = createMockBackend({ stepMs: 0 });
    await expect(
      b.populatePreview({ session: 'lab', template: '{account_id}', region: null, output: null, mode: 'sync', refresh: false }),
    ).rejects.toMatchObject({ code: 'not_signed_in' });
  });
});

describe('the large data set', () => {
  it('lists N profiles with account names from the cached list', async () => {
    const b = createMockBackend({ profiles: 10_000 });
    const { profiles } = await b.listProfiles();
    expect(profiles).toHaveLength(10_000);
    const kinds = new Set(profiles.map((p) => (p.generated ? 'generated' : p.kind)));
    expect([...kinds].sort()).toEqual(['generated', 'legacy-sso', 'other', 'sso']);
    expect(profiles.find((p) => p.generated)?.account_name).toMatch(/^[a-z]+-[a-z]+-[a-z]+/);
  });
});
