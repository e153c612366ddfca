// The mock backend: the whole `Backend` in memory, started from fixtures that are the real CLI's
// --json output against idc-emulator (scripts/ui-fixtures.sh; src-tauri's dto tests parse them
// as the DTOs the app sends). Used by the mock build (`vite build --mode mock`: Playwright, axe,
// screenshots) and by component tests. Times in the fixtures are shifted by (now − when they
// were taken) so countdowns run. Sign-ins answer like the app: a device-code event for sessions
// that use one, then sign-in-done.
import type { Language } from '../i18n';
import { validateSsoSession } from '../ssoSessions/validate';
import type {
  AccountsList,
  Backend,
  DeviceCode,
  IpcError,
  ProfilesPage,
  SessionDto,
  SessionsOverview,
  SettingsDto,
  SignInDone,
} from './index';
import accountsFixture from './fixtures/accounts.json';
import meta from './fixtures/meta.json';
import profilesFixture from './fixtures/profiles.json';
import statusFixture from './fixtures/status.json';

export interface MockOptions {
  /** The clock (ms since the epoch). */
  now?: () => number;
  /** How long a sign-in takes before it ends (ms). */
  signInMs?: number;
  /** The language app_info reports. */
  language?: Language;
  /** Start with no sessions and no profiles (empty states). */
  empty?: boolean;
}

const HOUR = 3_600_000;

function shift(iso: string | null, by: number): string | null {
  if (!iso) return iso;
  return new Date(Date.parse(iso) + by).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function reject(code: string, message: string): Promise<never> {
  const e: IpcError = { code, message };
  return Promise.reject(e);
}

export function createMockBackend(opts: MockOptions = {}): Backend {
  const now = opts.now ?? (() => Date.now());
  const by = now() - Date.parse(meta.generated_at);
  const fixture = statusFixture as unknown as SessionsOverview;
  let sessions: SessionDto[] = opts.empty
    ? []
    : fixture.sessions.map((s) => ({
        ...s,
        // Fields the CLI's status leaves out (the DTO's defaults).
        use_device_code: s.use_device_code ?? false,
        scopes: s.scopes ?? null,
        expires_at: shift(s.expires_at, by),
        session_ends_at: shift(s.session_ends_at, by),
      }));
  // The fixture session `lab` chose the device code (sso_use_device_code in the sandbox config).
  for (const s of sessions) if (s.name === 'lab') s.use_device_code = true;
  const page = profilesFixture as unknown as ProfilesPage;
  let profiles: ProfilesPage = opts.empty
    ? { profiles: [], mirrors: null, can_restore: false }
    : { profiles: page.profiles, mirrors: page.mirrors ?? 'dev', can_restore: page.can_restore ?? true };
  let settings: SettingsDto = {
    language: null,
    notifications: true,
    background_refresh: true,
    autostart: false,
    warn_before: ['15m', '5m'],
    portal_rate_limit: 20,
    sessions: {},
  };
  let language: Language = opts.language ?? 'en';
  const waiting = new Map<string, DeviceCode>();
  const onCode = new Set<(c: DeviceCode) => void>();
  const onDone = new Set<(d: SignInDone) => void>();
  const find = (name: string) => sessions.find((s) => s.name === name);

  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  function finishSignIn(name: string) {
    const s = find(name);
    waiting.delete(name);
    timers.delete(name);
    if (s) {
      const t = now();
      s.state = 'valid';
      s.expires_at = iso(t + HOUR);
      s.session_ends_at = s.kind === 'legacy' ? s.expires_at : iso(t + 8 * HOUR);
      s.end_is_estimate = s.kind !== 'legacy';
      s.refreshable = s.kind !== 'legacy';
    }
    for (const h of onDone) h({ session: name, ok: true, code: null });
  }

  function startSignIn(name: string) {
    const s = find(name);
    if (!s) return;
    if (s.use_device_code) {
      const code: DeviceCode = {
        session: name,
        userCode: 'MOCK-2468',
        verificationUri: 'https://device.sso.example/',
        verificationUriComplete: 'https://device.sso.example/?user_code=MOCK-2468',
      };
      waiting.set(name, code);
      for (const h of onCode) h(code);
    }
    timers.set(name, setTimeout(() => finishSignIn(name), opts.signInMs ?? 1500));
  }

  return {
    appInfo: async () => ({ version: '0.0.0-mock', language, trayAvailable: true }),
    setLanguage: async (l) => {
      language = l;
      settings = { ...settings, language: l };
    },
    deviceSignIns: async () => [...waiting.values()],
    copyDeviceCode: async (session) => {
      if (!waiting.has(session)) return reject('no_device_sign_in', `no device sign-in of ${session}`);
    },
    openDeviceVerification: async (session) => {
      if (!waiting.has(session)) return reject('no_device_sign_in', `no device sign-in of ${session}`);
    },
    onDeviceCode: async (h) => {
      onCode.add(h);
      return () => onCode.delete(h);
    },
    onSignInDone: async (h) => {
      onDone.add(h);
      return () => onDone.delete(h);
    },
    sessionsOverview: async () => structuredClone({ sessions }),
    signIn: async (session) => startSignIn(session),
    signInAll: async () => {
      for (const s of sessions) if (s.state === 'signed-out' || s.state === 'expired') startSignIn(s.name);
    },
    cancelSignIn: async (session) => {
      const timer = timers.get(session);
      if (timer === undefined) return;
      clearTimeout(timer);
      timers.delete(session);
      waiting.delete(session);
      for (const h of onDone) h({ session, ok: false, code: 'cancelled' });
    },
    signOut: async (session) => {
      const s = find(session);
      if (s) Object.assign(s, { state: 'signed-out', expires_at: null, session_ends_at: null, refreshable: false, end_is_estimate: false });
    },
    refreshSession: async (session) => {
      const s = find(session);
      if (!s) return reject('not_found', `no session named ${session}`);
      if (!s.refreshable) return reject('expired', `the token of ${session} cannot be refreshed`);
      s.expires_at = iso(now() + HOUR);
    },
    getSettings: async () => structuredClone(settings),
    updateSettings: async (changes) => {
      const next = structuredClone(settings);
      for (const c of changes) {
        switch (c.key) {
          case 'notifications':
            next.notifications = c.value;
            break;
          case 'background_refresh':
            next.background_refresh = c.value;
            break;
          case 'autostart':
            next.autostart = c.value;
            break;
          case 'warn_before':
            next.warn_before = c.value;
            break;
          case 'portal_rate_limit':
            if (c.value < 1) return reject('settings', 'portal_rate_limit must be at least 1');
            next.portal_rate_limit = c.value;
            break;
          case 'session_browser':
            next.sessions[c.value.session] = {
              duration: next.sessions[c.value.session]?.duration ?? null,
              browser: c.value.browser?.trim() || null,
            };
            break;
          case 'session_duration':
            next.sessions[c.value.session] = {
              browser: next.sessions[c.value.session]?.browser ?? null,
              duration: c.value.duration?.trim() || null,
            };
            break;
        }
      }
      settings = next;
      return structuredClone(settings);
    },
    saveSsoSession: async (form, create) => {
      const errors = Object.values(validateSsoSession(form));
      if (errors.length > 0) return reject(errors[0], 'the form has an invalid field');
      const name = form.name.trim();
      const s = find(name);
      if (create && s) return reject('exists', `sso-session ${name} exists`);
      if (!create && !s) return reject('not_found', `no session named ${name}`);
      const fields = {
        start_url: form.start_url.trim(),
        region: form.region.trim(),
        use_device_code: form.use_device_code,
        storage: form.storage,
        scopes: form.scopes?.trim() || s?.scopes || 'sso:account:access',
      };
      if (s) Object.assign(s, fields);
      else
        sessions = [
          ...sessions,
          { name, kind: 'sso-session', state: 'signed-out', expires_at: null, session_ends_at: null, end_is_estimate: false, refreshable: false, profiles: [], ...fields },
        ];
      settings.sessions[name] = { browser: settings.sessions[name]?.browser ?? null, duration: form.duration?.trim() || null };
    },
    deleteSsoSession: async (name) => {
      const s = find(name);
      if (!s || s.kind !== 'sso-session') return reject('not_found', `no session named ${name}`);
      if (s.profiles.length > 0) return reject('in_use', `profiles use sso-session ${name}: ${s.profiles.join(', ')}`);
      sessions = sessions.filter((x) => x !== s);
      delete settings.sessions[name];
    },
    listProfiles: async () => structuredClone(profiles),
    useProfile: async (profile) => {
      if (!profiles.profiles.some((p) => p.name === profile)) return reject('switch', `no profile named ${profile}`);
      profiles = { ...profiles, mirrors: profile, can_restore: true };
    },
    restoreDefault: async () => {
      if (!profiles.can_restore) return reject('switch', 'there is nothing to restore');
      profiles = { ...profiles, mirrors: null, can_restore: false };
    },
    listAccounts: async (session) => {
      const s = find(session);
      if (!s) return reject('not_found', `no session named ${session}`);
      if (s.state === 'signed-out' || s.state === 'expired') return reject('not_signed_in', `sign in to ${session} first`);
      return { ...structuredClone(accountsFixture as unknown as AccountsList), sso_session: session };
    },
    saveSsoProfile: async (form) => {
      const name = form.profile.trim();
      if (!name || /[[\]\r\n]/.test(name)) return reject('invalid_profile_name', `${name} cannot be a profile name`);
      const entry = {
        name,
        kind: 'sso' as const,
        sso_session: form.sso_session,
        account_id: form.account_id,
        role_name: form.role_name,
        region: form.region?.trim() || null,
        generated: null,
      };
      profiles = { ...profiles, profiles: [...profiles.profiles.filter((p) => p.name !== name), entry] };
      const s = find(form.sso_session);
      if (s && !s.profiles.includes(name)) s.profiles.push(name);
    },
  };
}
