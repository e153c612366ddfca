// Time left until a session ends, in words, as the tray words it (src-tauri tray_model::time_left)
// but live: under an hour the seconds show too, so the countdown visibly runs. An estimated end
// (sign-in time + the session duration) is marked "≈".
import { fill, type Language } from '../i18n';

/** Milliseconds from `now` until `iso` (negative once past); null without an end. */
export function msUntil(iso: string | null | undefined, now: number): number | null {
  if (!iso) return null;
  const end = Date.parse(iso);
  return Number.isNaN(end) ? null : end - now;
}

/** `3 h 12 min`, `12 min 05 s`, `45 s`; `≈ …` for an estimate. Zero or less: `null` (ended). */
export function timeLeft(lang: Language, ms: number, estimate: boolean): string | null {
  if (ms <= 0) return null;
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  let text: string;
  if (h > 0) text = fill(lang, 'time.hoursMinutes', { h: String(h), m: String(m) });
  else if (m > 0) text = fill(lang, 'time.minutesSeconds', { m: String(m), s: String(s).padStart(2, '0') });
  else text = fill(lang, 'time.seconds', { s: String(s) });
  return estimate ? fill(lang, 'time.estimate', { time: text }) : text;
}

/** The end as a local date and time, for the tooltip and screen readers. */
export function endTime(lang: Language, iso: string): string {
  return new Date(iso).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });
}
