// The mock backend: the whole `Backend` in memory, started from fixtures that are the real CLI's
// --json output against idc-emulator (scripts/ui-fixtures.sh; src-tauri's dto tests parse them
// as the DTOs the app sends). Used by the mock build (`vite build --mode mock`: Playwright, axe,
// screenshots) and by component tests. Times in the fixtures are shifted by (now − when they
// were taken) so countdowns run. Sign-ins answer like the app: a device-code event for sessions
// that use one, then sign-in-done.
//
// Profiles live in an in-memory `~/.aws/config` (./mockConfig.ts) built from the fixtures plus
// a few mock-only sections (a comment, a nested block, generated and hand-made profiles), or
// from N generated profiles (`profiles: N`, the mock build's `?profiles=N`, ./mockData.ts). The
// editor's previews and saves are diffs of that text before and after; the version is the
// text's SHA-1 and changes on every save; `mock.externalEdit` plays another program writing the
// file (a conflict). Populate plans over each session's cached account list (fetched from the
// mock portal with `populate-progress` events when not cached or asked to refresh). Every change
// is announced as `state-changed` with its areas, as the app's engine announces what it sees
// change (whoever made it: the tray, the window, another program), right after the call.
import type { Language } from '../i18n';
import { validateSsoSession } from '../ssoSessions/validate';
import type {
  AccountDto,
  AccountsList,
  Area,
  Backend,
  DeviceCode,
  EditOutcome,
  IpcError,
  PortalProgress,
  ProfileDto,
  SessionDto,
  SessionsOverview,
  SettingsDto,
  SignInDone,
  StateChanged,
} from './index';
import accountsFixture from './fixtures/accounts.json';
import meta from './fixtures/meta.json';
import profilesFixture from './fixtures/profiles.json';
import statusFixture from './fixtures/status.json';
import { applyChange, ConfigModel, get, MARKER, profileHeader, section, sessionName, set, type Section } from './mockConfig';
import { bulkData, LEGACY_START_URL } from './mockData';
import { unifiedDiff } from './mockDiff';
import { populate } from './mockPopulate';
import { parseTemplate, renderTemplate } from '../populate/template';

export interface MockOptions {
  /** The clock (ms since the epoch). */
  now?: () => number;
  /** How long a sign-in takes before it ends (ms). */
  signInMs?: number;
  /** The language app_info reports. */
  language?: Language;
  /** Start with no sessions and no profiles (empty states). */
  empty?: boolean;
  /** Start with this many generated profiles instead of the fixtures' (a large data set). */
  profiles?: number;
  /** The pause between two portal progress reports of a listing (ms). */
  stepMs?: number;
  /** How long testProfile takes (ms). */
  whoamiMs?: number;
  /** The mirrored [default] was changed since Lanyard wrote it: this diff. */
  defaultEdited?: string;
  /** The service refused corp's refresh (issue 20): its token is served to its expiry, then
   * it needs sign-in. */
  needsSignIn?: boolean;
}

/** What only the mock can do: play another program, look at the file. */
export interface MockControls {
  /** Another program writes `~/.aws/config`: sets `key = value` in `profile` (when given), else
   * appends a comment. The version changes, so an edit made against the old one conflicts. */
  externalEdit(edit?: { profile: string; key: string; value: string }): void;
  /** The file's text now. */
  configText(): string;
  /** The file's version now. */
  configVersion(): string;
}

export type MockBackend = Backend & { mock: MockControls };

/** The mock portal's accounts of lab (corp's are the accounts fixture). */
const LAB_ACCOUNTS: AccountDto[] = [
  { account_id: '777788889999', account_name: 'lab-sandbox', email: 'aws+lab-sandbox@acme.example', roles: ['AdministratorAccess', 'ReadOnlyAccess'] },
  { account_id: '210987654321', account_name: 'lab-experiments', email: 'aws+lab-experiments@acme.example', roles: ['AdministratorAccess'] },
];

/** The config the fixtures describe, as a file: their profiles and sessions, plus what makes
 * the editor and populate worth looking at (a comment, a nested block, profiles populate
 * generated — one still assigned, one no longer — and a role-chaining profile). */
function fixtureConfig(overview: SessionsOverview): Section[] {
  const page = profilesFixture as unknown as { profiles: ProfileDto[] };
  const legacy = overview.sessions.find((s) => s.kind === 'legacy');
  const out: Section[] = [];
  for (const p of page.profiles) {
    const lines: string[] = [];
    if (p.name === 'dev') lines.push('# The team account everyone starts in.');
    if (p.name === 'lanyard-saved-default') lines.push('# Your own [default], kept by Lanyard while another profile is the default.', 'output = json');
    if (p.kind === 'sso') lines.push(`sso_session = ${p.sso_session}`);
    if (p.kind === 'legacy-sso') lines.push(`sso_start_url = ${legacy?.start_url ?? LEGACY_START_URL}`, `sso_region = ${legacy?.region ?? 'us-west-2'}`);
    if (p.account_id) lines.push(`sso_account_id = ${p.account_id}`);
    if (p.role_name) lines.push(`sso_role_name = ${p.role_name}`);
    if (p.region) lines.push(`region = ${p.region}`);
    if (p.name === 'dev') lines.push('output = json');
    if (p.name === 'ops') lines.push('s3 =', '  max_concurrent_requests = 20', '  multipart_threshold = 64MB');
    out.push(section(profileHeader(p.name), ...lines));
  }
  out.push(
    section('profile acme-ci-dev.PowerUserAccess', 'sso_session = corp', 'sso_account_id = 916473019108', 'sso_role_name = PowerUserAccess', `${MARKER} = corp`),
    section('profile acme-retired.ReadOnlyAccess', 'sso_session = corp', 'sso_account_id = 600000000017', 'sso_role_name = ReadOnlyAccess', `${MARKER} = corp`),
    section('profile build-bot', '# Deploys from CI: assumes a role with the credentials of dev.', 'role_arn = arn:aws:iam::111122223333:role/deploy', 'source_profile = dev', 'region = eu-west-1'),
  );
  for (const s of overview.sessions.filter((x) => x.kind === 'sso-session')) {
    out.push(
      section(
        `sso-session ${s.name}`,
        `sso_start_url = ${s.start_url}`,
        `sso_region = ${s.region}`,
        'sso_registration_scopes = sso:account:access',
        ...(s.name === 'lab' ? ['sso_use_device_code = true'] : []),
      ),
    );
  }
  return out;
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

export function createMockBackend(opts: MockOptions = {}): MockBackend {
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
        needs_sign_in: s.needs_sign_in ?? false,
        reason: s.reason ?? null,
        signed_in_at: s.signed_in_at ?? null,
        signed_in_elsewhere: s.signed_in_elsewhere ?? false,
        expires_at: shift(s.expires_at, by),
        session_ends_at: shift(s.session_ends_at, by),
      }));
  // The fixture session `lab` chose the device code (sso_use_device_code in the sandbox config).
  for (const s of sessions) if (s.name === 'lab') s.use_device_code = true;
  if (opts.needsSignIn) {
    for (const s of sessions) {
      if (s.name !== 'corp') continue;
      Object.assign(s, { state: 'expiring', needs_sign_in: true, reason: 'invalid_grant', refreshable: false, end_is_estimate: false, session_ends_at: s.expires_at });
    }
  }
  const page = profilesFixture as unknown as { mirrors?: string | null; can_restore?: boolean };
  let mirrors: string | null = opts.empty ? null : (page.mirrors ?? 'dev');
  let canRestore = opts.empty ? false : (page.can_restore ?? true);
  let defaultEdited: string | null = opts.defaultEdited ?? null;
  const bulk = opts.profiles ? bulkData(opts.profiles) : null;
  const model = new ConfigModel(
    opts.empty
      ? []
      : bulk
        ? [...bulk.sections, ...fixtureConfig(fixture).filter((x) => x.header.startsWith('sso-session '))]
        : fixtureConfig(fixture),
  );
  // What each session's portal lists, and the lists cached (corp's was fetched before).
  const portal = new Map<string, AccountDto[]>([
    ['corp', bulk ? bulk.accounts : (accountsFixture as unknown as AccountsList).accounts],
    ['lab', LAB_ACCOUNTS],
  ]);
  const cached = new Map<string, { fetched_at: string; accounts: AccountDto[] }>();
  if (!opts.empty) cached.set('corp', { fetched_at: iso(now() - HOUR), accounts: portal.get('corp')! });
  let names: Map<string, Map<string, string>> | null = null;
  const accountName = (session: string | null, account: string): string | null => {
    names ??= new Map([...cached].map(([k, v]) => [k, new Map(v.accounts.map((a) => [a.account_id, a.account_name ?? '']))]));
    return (session && names.get(session)?.get(account)) || null;
  };
  const progress = new Set<(p: PortalProgress) => void>();
  let settings: SettingsDto = {
    language: null,
    notifications: true,
    background_refresh: true,
    autostart: false,
    warn_before: ['15m', '5m'],
    portal_rate_limit: 20,
    clipboard_clear_after: 60,
    sessions: {},
  };
  let language: Language = opts.language ?? 'en';
  const waiting = new Map<string, DeviceCode>();
  const onCode = new Set<(c: DeviceCode) => void>();
  const onDone = new Set<(d: SignInDone) => void>();
  const onChanged = new Set<(c: StateChanged) => void>();
  /** Announces a change once the call that made it has returned. */
  const changed = (...what: Area[]) =>
    queueMicrotask(() => {
      for (const h of onChanged) h({ what });
    });
  const find = (name: string) => sessions.find((s) => s.name === name);

  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  function finishSignIn(name: string) {
    const s = find(name);
    waiting.delete(name);
    timers.delete(name);
    if (s) {
      const t = now();
      s.state = 'valid';
      s.needs_sign_in = false;
      s.reason = null;
      s.expires_at = iso(t + HOUR);
      s.session_ends_at = s.kind === 'legacy' ? s.expires_at : iso(t + 8 * HOUR);
      s.end_is_estimate = s.kind !== 'legacy';
      s.refreshable = s.kind !== 'legacy';
    }
    for (const h of onDone) h({ session: name, ok: true, code: null });
    changed('sessions');
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

  /** Lists a session's accounts from the mock portal as lanyard-core does: pages of accounts
   * (the total grows until the last page), then each account's roles; one call retried. */
  async function listPortal(session: string) {
    const accounts = portal.get(session) ?? [];
    const pages = Math.min(4, Math.max(1, Math.ceil(accounts.length / 2)));
    const perPage = Math.ceil(accounts.length / pages);
    const step = Math.max(1, Math.ceil(accounts.length / 16));
    const report = (p: Omit<PortalProgress, 'session'>) => {
      for (const h of progress) h({ session, ...p });
    };
    const pause = () => new Promise((r) => setTimeout(r, opts.stepMs ?? 120));
    let total = 0;
    let done = 0;
    let calls = 0;
    for (let page = 0; page < pages; page++) {
      total = Math.min(accounts.length, total + perPage);
      calls++;
      report({ done, total, total_final: page === pages - 1, calls: BigInt(calls), retries: 0n });
      await pause();
      while (done < total) {
        done = Math.min(total, done + step);
        calls += step;
        report({ done, total, total_final: page === pages - 1, calls: BigInt(calls), retries: accounts.length > 4 ? 1n : 0n });
        await pause();
      }
    }
    cached.set(session, { fetched_at: iso(now()), accounts });
    names = null;
  }

  return {
    appInfo: async () => ({ version: '0.0.0-mock', language, trayAvailable: true }),
    setLanguage: async (l) => {
      language = l;
      settings = { ...settings, language: l };
      changed('settings');
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
    onStateChanged: async (h) => {
      onChanged.add(h);
      return () => onChanged.delete(h);
    },
    sessionsOverview: async () => {
      const dtos = model.profileDtos(() => null);
      const using = (s: SessionDto) =>
        dtos.filter((p) => (s.kind === 'legacy' ? p.kind === 'legacy-sso' && get(model.profile(p.name)!, 'sso_start_url') === s.start_url : p.sso_session === s.name)).map((p) => p.name);
      return structuredClone({ sessions: sessions.map((s) => ({ ...s, profiles: using(s) })) });
    },
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
      if (s) Object.assign(s, { state: 'signed-out', expires_at: null, session_ends_at: null, refreshable: false, end_is_estimate: false, needs_sign_in: false, reason: null, signed_in_at: null, signed_in_elsewhere: false });
      if (s) changed('sessions');
    },
    refreshSession: async (session) => {
      const s = find(session);
      if (!s) return reject('not_found', `no session named ${session}`);
      if (!s.refreshable) return reject('expired', `the token of ${session} cannot be refreshed`);
      s.expires_at = iso(now() + HOUR);
      changed('sessions');
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
          case 'clipboard_clear_after':
            if (!Number.isInteger(c.value) || c.value < 0) return reject('settings', 'clipboard_clear_after must be 0 or more');
            next.clipboard_clear_after = c.value;
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
      changed('settings');
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
          { name, kind: 'sso-session', state: 'signed-out', expires_at: null, session_ends_at: null, end_is_estimate: false, refreshable: false, needs_sign_in: false, reason: null, signed_in_at: null, signed_in_elsewhere: false, profiles: [], ...fields },
        ];
      let sec = model.session(name);
      if (!sec) model.sections.push((sec = { header: `sso-session ${name}`, lines: [] }));
      set(sec, 'sso_start_url', fields.start_url);
      set(sec, 'sso_region', fields.region);
      set(sec, 'sso_registration_scopes', fields.scopes);
      if (fields.use_device_code) set(sec, 'sso_use_device_code', 'true');
      else sec.lines = sec.lines.filter((l) => l.t !== 'key' || l.key !== 'sso_use_device_code');
      model.changed();
      settings.sessions[name] = { browser: settings.sessions[name]?.browser ?? null, duration: form.duration?.trim() || null };
      changed('sessions', 'profiles', 'settings');
    },
    deleteSsoSession: async (name) => {
      const s = find(name);
      if (!s || s.kind !== 'sso-session') return reject('not_found', `no session named ${name}`);
      const users = model.profileDtos(() => null).filter((p) => p.sso_session === name).map((p) => p.name);
      if (users.length > 0) return reject('in_use', `profiles use sso-session ${name}: ${users.join(', ')}`);
      sessions = sessions.filter((x) => x !== s);
      model.sections = model.sections.filter((x) => sessionName(x.header) !== name);
      model.changed();
      delete settings.sessions[name];
      changed('sessions', 'profiles', 'settings');
    },
    listProfiles: async () => ({
      profiles: model.profileDtos(accountName),
      mirrors,
      can_restore: canRestore,
      version: model.version(),
      default_changes: defaultEdited,
    }),
    useProfile: async (profile, changes) => {
      if (!model.profile(profile)) return reject('switch', `no profile named ${profile}`);
      if (defaultEdited && !changes) return reject('default_edited', '[default] was changed since Lanyard wrote it');
      defaultEdited = null;
      mirrors = profile;
      canRestore = true;
      changed('profiles');
    },
    restoreDefault: async (changes) => {
      if (!canRestore) return reject('switch', 'there is nothing to restore');
      if (defaultEdited && !changes) return reject('default_edited', '[default] was changed since Lanyard wrote it');
      defaultEdited = null;
      mirrors = null;
      canRestore = false;
      changed('profiles');
    },
    listAccounts: async (session) => {
      const s = find(session);
      if (!s) return reject('not_found', `no session named ${session}`);
      if (s.state === 'signed-out' || s.state === 'expired') return reject('not_signed_in', `sign in to ${session} first`);
      const accounts = portal.get(session) ?? [];
      cached.set(session, { fetched_at: iso(now()), accounts });
      names = null;
      return structuredClone({ sso_session: session, fetched_at: iso(now()), accounts });
    },
    saveSsoProfile: async (form) => {
      const name = form.profile.trim();
      if (!name || /[[\]\r\n]/.test(name)) return reject('invalid_profile_name', `${name} cannot be a profile name`);
      const keys = [
        `sso_session = ${form.sso_session}`,
        `sso_account_id = ${form.account_id}`,
        `sso_role_name = ${form.role_name}`,
        ...(form.region?.trim() ? [`region = ${form.region.trim()}`] : []),
        ...(form.output?.trim() ? [`output = ${form.output.trim()}`] : []),
      ];
      const fresh = section(profileHeader(name), ...keys);
      const at = model.sections.findIndex((x) => x.header === fresh.header);
      if (at >= 0) model.sections[at] = fresh;
      else model.sections.push(fresh);
      model.changed();
      changed('profiles');
    },
    getProfile: async (name) => {
      const detail = model.detail(name);
      return detail ?? reject('profile_not_found', `no profile named ${name}`);
    },
    editProfile: async (change, version, save): Promise<EditOutcome> => {
      if (version !== model.version()) {
        const then = model.history.get(version);
        return { outcome: 'conflict', changes: then === undefined ? '' : unifiedDiff(then, model.text()), version: model.version() };
      }
      const next = model.clone();
      const done = applyChange(next, change);
      if ('error' in done) return reject(done.error.code, done.error.message);
      const key = (f: { code: string; key: string | null }) => `${f.code}|${f.key}`;
      const before = new Set(change.op === 'update' ? model.findings(change.name).map(key) : []);
      const findings = done.names.flatMap((n) => next.findings(n));
      if (findings.some((f) => f.severity === 'error' && !before.has(key(f)))) return { outcome: 'invalid', findings, version };
      const diff = unifiedDiff(model.text(), next.text());
      if (!save) return { outcome: 'preview', diff, findings, version };
      model.sections = next.sections;
      model.changed();
      if (change.op === 'delete' && mirrors === change.name) mirrors = null;
      if (change.op === 'update' && mirrors === change.name) mirrors = change.new_name;
      changed('profiles');
      return { outcome: 'saved', diff, version: model.version() };
    },
    testProfile: async (profile) => {
      const p = model.profileDtos(() => null).find((x) => x.name === profile);
      if (!p) return reject('profile_not_found', `no profile named ${profile}`);
      const through =
        p.kind === 'sso' ? find(p.sso_session ?? '') : p.kind === 'legacy-sso' ? sessions.find((s) => s.start_url === get(model.profile(profile)!, 'sso_start_url')) : undefined;
      await new Promise((r) => setTimeout(r, opts.whoamiMs ?? 0));
      if (p.kind === 'other') return reject('credentials', `the mock has no credentials for profile ${profile}`);
      if (!through) return reject('not_found', `no session for profile ${profile}`);
      if (through.state !== 'valid' && through.state !== 'expiring') return reject('not_signed_in', `sign in to ${through.name} first`);
      const role = p.role_name ?? 'Role';
      return {
        account: p.account_id ?? '',
        arn: `arn:aws:sts::${p.account_id}:assumed-role/AWSReservedSSO_${role}_5f3a9c1e27b04d68/mock.user@acme.example`,
        user_id: `AROAMOCK${(p.account_id ?? '').slice(0, 8)}:mock.user@acme.example`,
      };
    },
    copyCredentials: async (profile) => {
      if (!model.profile(profile)) return reject('profile_not_found', `no profile named ${profile}`);
    },
    populateNames: async (session, template, limit) => {
      if (!find(session)) return reject('not_found', `no session named ${session}`);
      const parsed = parseTemplate(template);
      if ('error' in parsed) return { names: [], total: 0, error: parsed.error };
      const accounts = cached.get(session)?.accounts ?? [];
      const pairs = accounts.flatMap((a) => a.roles.map((role) => ({ a, role })));
      return {
        names: pairs.slice(0, limit).map(({ a, role }) => ({
          account_id: a.account_id,
          account_name: a.account_name,
          role_name: role,
          profile: renderTemplate(parsed.parts, { account_name: a.account_name ?? '', account_id: a.account_id, role_name: role, session }),
        })),
        total: pairs.length,
        error: null,
      };
    },
    populatePreview: async (request) => {
      const s = find(request.session);
      if (!s || s.kind !== 'sso-session') return reject('not_found', `no session named ${request.session}`);
      if (s.state === 'signed-out' || s.state === 'expired') return reject('not_signed_in', `sign in to ${s.name} first`);
      if (!cached.has(s.name) || request.refresh) await listPortal(s.name);
      const next = model.clone();
      try {
        const plan = populate(next, cached.get(s.name)!.accounts, request);
        return { ...plan, diff: unifiedDiff(model.text(), next.text()), version: model.version() };
      } catch (e) {
        return Promise.reject(e);
      }
    },
    populateApply: async (request, version) => {
      if (version !== model.version()) {
        const then = model.history.get(version);
        return { outcome: 'conflict', changes: then === undefined ? '' : unifiedDiff(then, model.text()), version: model.version() };
      }
      const list = cached.get(request.session);
      if (!list) return reject('not_signed_in', `list the accounts of ${request.session} first`);
      const next = model.clone();
      try {
        populate(next, list.accounts, request);
      } catch (e) {
        return Promise.reject(e);
      }
      const diff = unifiedDiff(model.text(), next.text());
      model.sections = next.sections;
      model.changed();
      changed('profiles');
      return { outcome: 'saved', diff, version: model.version() };
    },
    onPopulateProgress: async (h) => {
      progress.add(h);
      return () => progress.delete(h);
    },
    mock: {
      externalEdit: (edit) => {
        const target = edit && model.profile(edit.profile);
        if (edit && target) set(target, edit.key, edit.value);
        else model.sections[model.sections.length - 1]?.lines.push({ t: 'comment', text: `# edited by another program at ${iso(now())}` });
        model.changed();
        changed('profiles');
      },
      configText: () => model.text(),
      configVersion: () => model.version(),
    },
  };
}
