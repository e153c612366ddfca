// The device sign-ins the window shows, as pure functions over a list (one entry per session,
// the most recent last), so the dialog's bookkeeping is tested without a DOM.
import type { DeviceCode } from '../backend';

/** Adds or replaces the sign-in of `code.session`; the newest goes last. */
export function started(list: readonly DeviceCode[], code: DeviceCode): DeviceCode[] {
  return [...list.filter((c) => c.session !== code.session), code];
}

/** Drops the sign-in of `session` (it ended). */
export function ended(list: readonly DeviceCode[], session: string): DeviceCode[] {
  return list.filter((c) => c.session !== session);
}
