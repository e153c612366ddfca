import { describe, expect, it } from 'vitest';
import type { SsoSessionForm } from '../backend';
import { isDuration, isRegionName, validateSsoSession } from './validate';

const good: SsoSessionForm = {
  name: 'corp',
  start_url: 'https://d-1234567890.awsapps.com/start',
  region: 'eu-west-1',
  scopes: 'sso:account:access',
  use_device_code: false,
  storage: 'file',
  duration: null,
};

describe('isRegionName (lanyard-core is_region_name)', () => {
  it.each(['us-east-1', 'eu-west-1', 'us-gov-west-1', 'ap-southeast-3', 'cn-north-1'])('accepts %s', (r) =>
    expect(isRegionName(r)).toBe(true),
  );
  it.each(['', 'us-east', 'US-EAST-1', 'useast1', 'u-east-1', 'us--1', 'us-east-1a', 'Frankfurt', 'eu-1', 'east-1'])('refuses %j', (r) =>
    expect(isRegionName(r)).toBe(false),
  );
});

describe('isDuration (lanyard-core parse_duration)', () => {
  it.each(['90s', '15m', '15min', '8h', '30', ' 12h '])('accepts %j', (d) => expect(isDuration(d)).toBe(true));
  it.each(['', '0h', '-1h', '1.5h', '8 hours', 'h', '1d'])('refuses %j', (d) => expect(isDuration(d)).toBe(false));
});

describe('validateSsoSession', () => {
  it('passes a good form', () => expect(validateSsoSession(good)).toEqual({}));

  it('names every wrong field with the code the app uses', () => {
    expect(
      validateSsoSession({ ...good, name: ' ', start_url: 'http://x', region: 'eu', duration: 'later' }),
    ).toEqual({
      name: 'invalid_name',
      start_url: 'invalid_start_url',
      region: 'invalid_region',
      duration: 'invalid_duration',
    });
    expect(validateSsoSession({ ...good, name: 'a]b' })).toEqual({ name: 'invalid_name' });
  });
});
