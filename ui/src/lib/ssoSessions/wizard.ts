// The configure sso wizard's pure parts: the account search (by name, id or email, as the CLI's
// picker filters) and the last step's checks (the CLI's and src-tauri's check_profile_form).
import type { AccountDto } from '../backend';
import { isRegionName } from './validate';

/** The accounts whose name, id or email contains every word of `query` (any case), sorted by
 * name, then email, then id, as the CLI lists them. */
export function filterAccounts(accounts: readonly AccountDto[], query: string): AccountDto[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const key = (a: AccountDto) => [a.account_name ?? '', a.email ?? '', a.account_id].map((x) => x.toLowerCase());
  return accounts
    .filter((a) => {
      const text = key(a).join(' ');
      return words.every((w) => text.includes(w));
    })
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
      return 0;
    });
}

export type ProfileErrors = Partial<Record<'profile' | 'region' | 'output', true>>;

export function profileErrors(d: { profile: string; region: string; output: string }): ProfileErrors {
  const errors: ProfileErrors = {};
  const name = d.profile.trim();
  if (!name || /[[\]\r\n]/.test(name)) errors.profile = true;
  if (d.region.trim() && !isRegionName(d.region.trim())) errors.region = true;
  if (/\s/.test(d.output.trim())) errors.output = true;
  return errors;
}
