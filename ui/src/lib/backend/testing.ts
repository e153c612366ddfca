// Tests only: a `Backend` whose every method is a vitest mock that fails loudly when a test did
// not expect it to be called; a test overrides what it uses.
import { vi, type Mock } from 'vitest';
import type { Backend } from './index';

const methods = [
  'appInfo',
  'setLanguage',
  'deviceSignIns',
  'copyDeviceCode',
  'openDeviceVerification',
  'onDeviceCode',
  'onSignInDone',
  'onStateChanged',
  'sessionsOverview',
  'signIn',
  'signInAll',
  'signOut',
  'cancelSignIn',
  'refreshSession',
  'getSettings',
  'updateSettings',
  'saveSsoSession',
  'deleteSsoSession',
  'listAccounts',
  'saveSsoProfile',
  'listProfiles',
  'useProfile',
  'restoreDefault',
  'getProfile',
  'editProfile',
  'testProfile',
  'copyCredentials',
  'populateNames',
  'populatePreview',
  'populateApply',
  'onPopulateProgress',
] as const satisfies readonly (keyof Backend)[];

// Every method of Backend is listed above (a missing one fails the type check here).
type Listed = (typeof methods)[number];
const _all: Record<Exclude<keyof Backend, Listed>, never> = {};
void _all;

export type StubBackend = { [K in keyof Backend]: Mock<Backend[K]> };

export function stubBackend(): StubBackend {
  const out: Record<string, unknown> = {};
  for (const m of methods) out[m] = vi.fn(async () => Promise.reject(new Error(`unexpected call: ${m}`)));
  return out as StubBackend;
}
