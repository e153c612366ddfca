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
