// The profile editor's form, pure so that it is unit-tested: the form made from a profile as
// the app reads it, the keys it sends back (in the file's order, a blank common field removing
// its key), the checks made before asking the app, the findings worded by code, and the
// three-way merge after a conflict (keep what the person changed, take what the other program
// changed, name the keys both changed).
import type { FindingDto, KeyValue, ProfileDetail } from '../backend';
import { catalogs, t, type Language, type MessageKey } from '../i18n';

/** The keys with a field of their own, in the order the form shows them. */
export const COMMON = ['sso_session', 'sso_account_id', 'sso_role_name', 'region', 'output'] as const;
export type CommonKey = (typeof COMMON)[number];
const isCommon = (key: string): key is CommonKey => (COMMON as readonly string[]).includes(key);

/** Another plain key: `origin` is its key in the file (null for a row the person added). */
export interface OtherRow {
  id: number;
  origin: string | null;
  key: string;
  value: string;
}

export interface Form {
  name: string;
  common: Record<CommonKey, string>;
  others: OtherRow[];
}

let rowIds = 0;
export const newRow = (key = '', value = '', origin: string | null = null): OtherRow => ({ id: ++rowIds, origin, key, value });

/** The form for a profile's keys (an empty form for a new profile). */
export function formFrom(name: string, keys: readonly KeyValue[]): Form {
  const common = Object.fromEntries(COMMON.map((k) => [k, ''])) as Record<CommonKey, string>;
  const others: OtherRow[] = [];
  for (const { key, value } of keys) {
    if (isCommon(key)) common[key] = value;
    else others.push(newRow(key, value, key));
  }
  return { name, common, others };
}

/** The keys the form asks for, in the file's order (`fileKeys`), then new common keys, then
 * new other keys; blank values and blank rows left out (removing the key). */
export function keysOf(form: Form, fileKeys: readonly KeyValue[]): KeyValue[] {
  const out: KeyValue[] = [];
  const push = (key: string, value: string) => {
    const k = key.trim();
    const v = value.trim();
    if (k && v) out.push({ key: k, value: v });
  };
  const done = new Set<string>();
  for (const { key } of fileKeys) {
    if (isCommon(key)) push(key, form.common[key]);
    else {
      const row = form.others.find((r) => r.origin === key);
      if (row) push(row.key, row.value);
    }
    done.add(key);
  }
  for (const key of COMMON) if (!done.has(key)) push(key, form.common[key]);
  for (const row of form.others) if (row.origin === null || !done.has(row.origin)) push(row.key, row.value);
  return out;
}

/** What is wrong with the form before the app is asked: the name, and each other row's key
 * (by row id). Values are the app's business (its findings). */
export interface FormErrors {
  name?: MessageKey;
  rows: Record<number, MessageKey>;
}

export function checkForm(form: Form, nested: readonly string[] = []): FormErrors {
  const errors: FormErrors = { rows: {} };
  const name = form.name.trim();
  if (!name || /[[\]\r\n]/.test(name)) errors.name = 'error.invalid_profile_name';
  const seen = new Set<string>([...COMMON, ...nested]);
  for (const row of form.others) {
    const key = row.key.trim();
    if (!key && !row.value.trim()) continue;
    if (!key || /[\s=[\]#;]/.test(key)) errors.rows[row.id] = 'error.invalid_key';
    else if (seen.has(key)) errors.rows[row.id] = 'error.duplicate_key_field';
    seen.add(key);
  }
  return errors;
}

export const hasErrors = (e: FormErrors) => e.name !== undefined || Object.keys(e.rows).length > 0;

/** A finding in the person's language by its code; lanyard-core's English message when the
 * code has no translation. */
export function findingText(lang: Language, f: FindingDto): string {
  const key = `finding.${f.code}`;
  return key in catalogs.en ? t(lang, key as MessageKey) : f.message;
}

/** The findings about `key` (shown beside its field). */
export const findingsFor = (findings: readonly FindingDto[], key: string) => findings.filter((f) => f.key === key);

/** The findings that have no field in the form (shown above it). */
export function generalFindings(findings: readonly FindingDto[], form: Form): FindingDto[] {
  const fields = new Set<string>([...COMMON, ...form.others.map((r) => r.key.trim())]);
  return findings.filter((f) => f.key === null || !fields.has(f.key));
}

/** After a conflict: the form over the profile as the file has it now (`theirs`), keeping each
 * key the person changed from `base` (the profile as the form was opened) and taking the other
 * program's change of every other key. `both` names the keys both changed (the person's value
 * kept, to be previewed again). */
export function mergeForm(form: Form, base: ProfileDetail, theirs: ProfileDetail): { form: Form; both: string[] } {
  const toMap = (keys: readonly KeyValue[]) => new Map(keys.map((k) => [k.key, k.value]));
  const b = toMap(base.keys);
  const t = toMap(theirs.keys);
  const m = toMap(keysOf(form, base.keys));
  const merged: KeyValue[] = [];
  const both: string[] = [];
  const order = [...new Set([...theirs.keys.map((k) => k.key), ...m.keys()])];
  for (const key of order) {
    const [bv, tv, mv] = [b.get(key), t.get(key), m.get(key)];
    let v: string | undefined;
    if (mv === bv) v = tv;
    else if (tv === bv || tv === mv) v = mv;
    else {
      v = mv;
      both.push(key);
    }
    if (v !== undefined) merged.push({ key, value: v });
  }
  const next = formFrom(form.name.trim() === base.name ? theirs.name : form.name, merged);
  // A row's origin is its key in the file as it is now.
  const inFile = new Set(theirs.keys.map((k) => k.key));
  for (const row of next.others) row.origin = inFile.has(row.key) ? row.key : null;
  return { form: next, both };
}
