// The mock backend's `~/.aws/config` (mock build and tests only): an in-memory model of the file
// as sections of lines (keys, comments, nested blocks), printed to text the way the lossless
// editor keeps it, with the file's version (SHA-1 of its bytes, as the app computes it), the
// versions seen (so that a conflict can show what changed since), a small `config check` (the
// format and sso rules lanyard-core applies to a profile) and the profile edits of the editor.
import type { FindingDto, KeyValue, ProfileDetail, ProfileDto, ProfileKindDto } from './index';

export type Line =
  | { t: 'key'; key: string; value: string }
  | { t: 'nested'; key: string; lines: string[] }
  | { t: 'comment'; text: string };

/** A section: its header without brackets (`default`, `profile dev`, `sso-session corp`). */
export interface Section {
  header: string;
  lines: Line[];
}

/** The key that marks a profile as written by populate (lanyard-core's `MARKER`). */
export const MARKER = 'lanyard_generated';

export const profileHeader = (name: string) => (name === 'default' ? 'default' : `profile ${name}`);

export function profileName(header: string): string | null {
  if (header === 'default') return 'default';
  const m = /^profile\s+(.+)$/.exec(header);
  return m ? m[1].trim() : null;
}

export function sessionName(header: string): string | null {
  const m = /^sso-session\s+(.+)$/.exec(header);
  return m ? m[1].trim() : null;
}

/** The section's lines as written. */
export function sectionLines(s: Section): string[] {
  const out = [`[${s.header}]`];
  for (const l of s.lines) {
    if (l.t === 'comment') out.push(l.text);
    else if (l.t === 'key') out.push(`${l.key} = ${l.value}`);
    else out.push(`${l.key} =`, ...l.lines.map((x) => `  ${x}`));
  }
  return out;
}

/** The plain keys of a section, in file order (the last of a repeated key). */
export function plainKeys(s: Section): KeyValue[] {
  const out = new Map<string, string>();
  for (const l of s.lines) if (l.t === 'key') out.set(l.key, l.value);
  return [...out].map(([key, value]) => ({ key, value }));
}

export function get(s: Section, key: string): string | null {
  let v: string | null = null;
  for (const l of s.lines) if (l.t === 'key' && l.key === key) v = l.value;
  return v;
}

/** Sets `key` to `value` in place (its last line), or appends it. */
export function set(s: Section, key: string, value: string) {
  for (let i = s.lines.length - 1; i >= 0; i--) {
    const l = s.lines[i];
    if (l.t === 'key' && l.key === key) {
      s.lines[i] = { t: 'key', key, value };
      return;
    }
  }
  // Before trailing comments, after the last key or nested block.
  let at = s.lines.length;
  while (at > 0 && s.lines[at - 1].t === 'comment') at--;
  s.lines.splice(at, 0, { t: 'key', key, value });
}

// SHA-1 (FIPS 180-4) of UTF-8 bytes, lowercase hex: the app's config version.
export function sha1(text: string): string {
  const bytes = new TextEncoder().encode(text);
  const bitLength = bytes.length * 8;
  const padded = new Uint8Array((((bytes.length + 8) >> 6) + 1) << 6);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  let [h0, h1, h2, h3, h4] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Uint32Array(80);
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let [a, b, c, d, e] = [h0, h1, h2, h3, h4];
    for (let i = 0; i < 80; i++) {
      const f = i < 20 ? (b & c) | (~b & d) : i < 40 ? b ^ c ^ d : i < 60 ? (b & c) | (b & d) | (c & d) : b ^ c ^ d;
      const k = i < 20 ? 0x5a827999 : i < 40 ? 0x6ed9eba1 : i < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]) >>> 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h0 = (h0 + a) >>> 0;
    h1 = (h1 + b) >>> 0;
    h2 = (h2 + c) >>> 0;
    h3 = (h3 + d) >>> 0;
    h4 = (h4 + e) >>> 0;
  }
  return [h0, h1, h2, h3, h4].map((h) => (h >>> 0).toString(16).padStart(8, '0')).join('');
}

function isRegionName(v: string): boolean {
  return /^[a-z]+(-[a-z]+)*-\d+$/.test(v) && v.includes('-');
}

/** The file: sections in order, its text and version cached until the next change. */
export class ConfigModel {
  sections: Section[];
  /** Every version this model had, with its text (a conflict shows what changed since). */
  readonly history = new Map<string, string>();
  private cache: { text: string; version: string } | null = null;

  constructor(sections: Section[]) {
    this.sections = sections;
    this.remember();
  }

  text(): string {
    if (!this.cache) {
      const text = this.sections.map((s) => sectionLines(s).join('\n') + '\n').join('\n');
      this.cache = { text, version: sha1(text) };
    }
    return this.cache.text;
  }

  version(): string {
    this.text();
    return this.cache!.version;
  }

  /** Call after changing `sections`. */
  changed() {
    this.cache = null;
    this.remember();
  }

  private remember() {
    this.history.set(this.version(), this.text());
  }

  clone(): ConfigModel {
    return new ConfigModel(structuredClone(this.sections));
  }

  profiles(): { name: string; section: Section }[] {
    const out: { name: string; section: Section }[] = [];
    for (const section of this.sections) {
      const name = profileName(section.header);
      if (name !== null) out.push({ name, section });
    }
    return out;
  }

  profile(name: string): Section | undefined {
    return this.sections.find((s) => profileName(s.header) === name);
  }

  session(name: string): Section | undefined {
    return this.sections.find((s) => sessionName(s.header) === name);
  }

  /** The 1-based line of each section's header. */
  headerLines(): Map<Section, number> {
    const out = new Map<Section, number>();
    let line = 1;
    for (const s of this.sections) {
      out.set(s, line);
      line += sectionLines(s).length + 1;
    }
    return out;
  }

  /** lanyard-core's findings about one profile (the rules the editor can trip over). */
  findings(name: string): FindingDto[] {
    const s = this.profile(name);
    if (!s) return [];
    const out: FindingDto[] = [];
    let line = (this.headerLines().get(s) ?? 1) + 1;
    const keyLine = new Map<string, number>();
    for (const l of s.lines) {
      if (l.t === 'key') keyLine.set(l.key, line);
      else if (l.t === 'nested') keyLine.set(l.key, line);
      line += l.t === 'nested' ? l.lines.length + 1 : 1;
    }
    const push = (code: string, severity: 'error' | 'warning', key: string | null, message: string) =>
      out.push({ code, severity, key, line: key ? (keyLine.get(key) ?? null) : (this.headerLines().get(s) ?? null), message });
    for (const { key, value: v } of plainKeys(s)) {
      if ((key === 'sso_account_id' || key === 'aws_account_id') && !/^\d{12}$/.test(v))
        push('account_id_format', 'warning', key, `${key} ${JSON.stringify(v)} is not a 12-digit AWS account id`);
      if ((key === 'region' || key === 'sso_region') && !isRegionName(v))
        push('region_format', 'warning', key, `${key} ${JSON.stringify(v)} does not look like an AWS region name (such as us-east-1 or eu-central-1)`);
      if (key === 'sso_start_url' && !v.startsWith('https://'))
        push('start_url_not_https', 'warning', key, `sso_start_url ${JSON.stringify(v)} is not an https:// URL; the AWS CLI (2.35.13 and later) refuses to sign in with it`);
      if (key === 'sso_use_device_code' && !/^(true|false)$/i.test(v))
        push('use_device_code_format', 'warning', key, `sso_use_device_code ${JSON.stringify(v)} is neither true nor false; it is read as false (sign-in uses the browser)`);
      if (/\s[#;]/.test(v))
        push('inline_comment_in_value', 'warning', key, `the AWS CLI reads ${JSON.stringify(v)} as the whole value of ${key}: "#" and ";" start a comment only at the beginning of a line`);
    }
    const session = get(s, 'sso_session');
    const sso = get(s, 'sso_role_name') !== null || get(s, 'sso_account_id') !== null;
    if (session !== null && !this.session(session)) {
      push(
        'sso_session_not_found',
        'error',
        'sso_session',
        sso
          ? `The specified sso-session does not exist: "${session}"`
          : `The profile "${name}" is configured to use the SSO token provider but the "${session}" sso_session configuration does not exist.`,
      );
    } else if (sso) {
      const required = session !== null ? ['sso_role_name', 'sso_account_id'] : ['sso_role_name', 'sso_account_id', 'sso_start_url', 'sso_region'];
      const missing = required.filter((k) => get(s, k) === null);
      if (missing.length)
        push('sso_missing_config', 'error', null, `The profile "${name}" is configured to use SSO but is missing required configuration: ${missing.join(', ')}`);
    }
    return out;
  }

  detail(name: string): ProfileDetail | null {
    const s = this.profile(name);
    if (!s) return null;
    return {
      name,
      text: sectionLines(s).join('\n') + '\n',
      line: this.headerLines().get(s) ?? 1,
      keys: plainKeys(s),
      nested: s.lines.flatMap((l) => (l.t === 'nested' ? [l.key] : [])),
      findings: this.findings(name),
      version: this.version(),
    };
  }

  /** The Profiles page's rows; `accountName` looks an account's name up in the session's
   * cached account list. */
  profileDtos(accountName: (session: string | null, account: string) => string | null): ProfileDto[] {
    return this.profiles().map(({ name, section: s }) => {
      const session = get(s, 'sso_session');
      const account = get(s, 'sso_account_id');
      const kind: ProfileKindDto = session !== null ? 'sso' : get(s, 'sso_start_url') !== null ? 'legacy-sso' : 'other';
      return {
        name,
        kind,
        sso_session: session,
        account_id: account,
        role_name: get(s, 'sso_role_name'),
        region: get(s, 'region'),
        generated: get(s, MARKER),
        account_name: account === null ? null : accountName(session, account),
      };
    });
  }
}

/** A section from `[header]` and `key = value` lines (comments start with `#`, indented lines
 * after `key =` are its nested block). */
export function section(header: string, ...text: string[]): Section {
  const lines: Line[] = [];
  for (const t of text) {
    const last = lines[lines.length - 1];
    if (t.startsWith('#') || t.startsWith(';')) lines.push({ t: 'comment', text: t });
    else if (/^\s/.test(t) && last && last.t === 'nested') last.lines.push(t.trim());
    else {
      const at = t.indexOf('=');
      const key = t.slice(0, at).trim();
      const value = t.slice(at + 1).trim();
      lines.push(value === '' ? { t: 'nested', key, lines: [] } : { t: 'key', key, value });
    }
  }
  return { header, lines };
}

const BAD_NAME = /^\s|\s$|[[\]\r\n]/;

/** Makes a profile change on `model` (in place). Answers the profiles whose findings the
 * outcome reports, or the error the app would refuse it with. */
export function applyChange(
  model: ConfigModel,
  change: import('./index').ProfileChange,
): { names: string[] } | { error: { code: string; message: string } } {
  const invalid = (name: string) =>
    !name || BAD_NAME.test(name) ? { error: { code: 'invalid_profile_name', message: `${JSON.stringify(name)} cannot be a profile name` } } : null;
  const missing = (name: string) => ({ error: { code: 'profile_not_found', message: `no profile named ${name}` } });
  const exists = (name: string) => ({ error: { code: 'profile_exists', message: `profile ${name} exists already` } });
  switch (change.op) {
    case 'create': {
      const bad = invalid(change.name);
      if (bad) return bad;
      if (model.profile(change.name)) return exists(change.name);
      model.sections.push({ header: profileHeader(change.name), lines: change.keys.map((k) => ({ t: 'key', key: k.key, value: k.value })) });
      model.changed();
      return { names: [change.name] };
    }
    case 'duplicate': {
      const from = model.profile(change.name);
      if (!from) return missing(change.name);
      const bad = invalid(change.new_name);
      if (bad) return bad;
      if (model.profile(change.new_name)) return exists(change.new_name);
      model.sections.push({ header: profileHeader(change.new_name), lines: structuredClone(from.lines) });
      model.changed();
      return { names: [change.new_name] };
    }
    case 'update': {
      const s = model.profile(change.name);
      if (!s) return missing(change.name);
      const bad = invalid(change.new_name);
      if (bad) return bad;
      if (change.new_name !== change.name && model.profile(change.new_name)) return exists(change.new_name);
      const wanted = new Map(change.keys.map((k) => [k.key, k.value]));
      s.lines = s.lines.filter((l) => l.t !== 'key' || wanted.has(l.key));
      for (const [key, value] of wanted) if (get(s, key) !== value) set(s, key, value);
      s.header = profileHeader(change.new_name);
      model.changed();
      return { names: [change.new_name] };
    }
    case 'delete': {
      const before = model.sections.length;
      model.sections = model.sections.filter((s) => profileName(s.header) !== change.name);
      if (model.sections.length === before) return missing(change.name);
      model.changed();
      return { names: [] };
    }
  }
}
