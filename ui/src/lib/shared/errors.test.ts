import { describe, expect, it } from 'vitest';
import { asIpcError } from '../backend';
import { describeError, errorKey } from './errors';

describe('errors', () => {
  it('are worded by code in the person language, the message kept as detail', () => {
    const e = { code: 'in_use', message: 'profiles use sso-session corp: dev' };
    expect(describeError('en', e).text).toMatch(/^Profiles still use/);
    expect(describeError('zh-TW', e).text).toMatch(/^仍有設定檔/);
    expect(describeError('zh-TW', e).detail).toBe(e.message);
  });

  it('word the codes that say what the service did, in both languages (issue 20)', () => {
    const codes = ['unreachable', 'tls', 'service_refused', 'service_unexpected', 'throttled', 'registration_refused'];
    for (const code of codes) {
      expect(errorKey(code)).toBe(`error.${code}`);
      const en = describeError('en', { code, message: '' }).text;
      expect(describeError('zh-TW', { code, message: '' }).text).not.toBe(en);
    }
    expect(describeError('en', { code: 'tls', message: '' }).text).toMatch(/AWS_CA_BUNDLE/);
  });

  it('fall back to a general sentence naming an unknown code', () => {
    expect(errorKey('no_such_code')).toBe('error.unknown');
    expect(describeError('en', { code: 'no_such_code', message: '' }).text).toBe('Something went wrong (no_such_code).');
  });

  it('arrive as {code, message} whatever was thrown', () => {
    expect(asIpcError({ code: 'expired', message: 'x' })).toEqual({ code: 'expired', message: 'x' });
    expect(asIpcError(new Error('boom'))).toEqual({ code: 'app', message: 'boom' });
    expect(asIpcError('text')).toEqual({ code: 'app', message: 'text' });
  });
});
