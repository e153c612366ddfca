// The configure sso-session form's checks, mirroring lanyard-core's config check
// (crates/lanyard-core/src/config/validate.rs: `sso_start_url` must be https, `sso_region` a
// region name) and the settings file's duration rule (sessions::schedule::parse_duration), and
// src-tauri's api::check_form, which makes the same checks again with the same codes.
import type { SsoSessionForm } from '../backend';

export type FieldError = 'invalid_name' | 'invalid_start_url' | 'invalid_region' | 'invalid_duration';
export type FormErrors = Partial<Record<'name' | 'start_url' | 'region' | 'duration', FieldError>>;

/** lanyard-core's `is_region_name`: lower-case letter groups joined by `-`, the first at least
 * two letters, ending in `-<digits>` (`us-east-1`, `us-gov-west-1`). */
export function isRegionName(v: string): boolean {
  const cut = v.lastIndexOf('-');
  if (cut < 0) return false;
  const last = v.slice(cut + 1);
  if (!/^[0-9]+$/.test(last)) return false;
  const parts = v.slice(0, cut).split('-');
  if (parts.length < 2) return false;
  return parts.every((p, i) => /^[a-z]+$/.test(p) && (i > 0 || p.length >= 2));
}

/** lanyard-core's `parse_duration`: a whole positive number and `s`, `m`/`min` or `h` (a bare
 * number is minutes). */
export function isDuration(v: string): boolean {
  const m = /^([0-9]+)\s*(s|m|min|h)?$/.exec(v.trim());
  return m !== null && Number(m[1]) > 0;
}

/** An sso-session name the config can hold as `[sso-session NAME]`. */
export function isSessionName(v: string): boolean {
  const n = v.trim();
  return n.length > 0 && !/[[\]\r\n]/.test(n);
}

export function validateSsoSession(form: SsoSessionForm): FormErrors {
  const errors: FormErrors = {};
  if (!isSessionName(form.name)) errors.name = 'invalid_name';
  if (!form.start_url.trim().startsWith('https://')) errors.start_url = 'invalid_start_url';
  if (!isRegionName(form.region.trim())) errors.region = 'invalid_region';
  const d = form.duration?.trim();
  if (d && !isDuration(d)) errors.duration = 'invalid_duration';
  return errors;
}
