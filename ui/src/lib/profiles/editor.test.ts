import { describe, expect, it } from 'vitest';
import type { FindingDto, ProfileDetail } from '../backend';
import { checkForm, findingText, formFrom, generalFindings, keysOf, mergeForm, newRow } from './editor';

const detail = (keys: [string, string][], name = 'dev'): ProfileDetail => ({
  name,
  text: '',
  line: 1,
  keys: keys.map(([key, value]) => ({ key, value })),
  nested: [],
  findings: [],
  version: 'v1',
});

const finding = (code: string, key: string | null, message = 'english message'): FindingDto => ({ code, severity: 'warning', line: 3, key, message });

describe('the form', () => {
  it('splits common keys from the others and gives them back in the file order', () => {
    const d = detail([
      ['credential_process', 'x'],
      ['region', 'eu-west-1'],
      ['sso_session', 'corp'],
    ]);
    const form = formFrom('dev', d.keys);
    expect(form.common.region).toBe('eu-west-1');
    expect(form.others.map((r) => r.key)).toEqual(['credential_process']);
    expect(keysOf(form, d.keys)).toEqual(d.keys);
  });

  it('changes values in place, removes blank keys, appends new ones', () => {
    const d = detail([
      ['region', 'eu-west-1'],
      ['cli_pager', 'less'],
      ['output', 'json'],
    ]);
    const form = formFrom('dev', d.keys);
    form.common.region = ' us-east-1 ';
    form.common.output = '';
    form.common.sso_role_name = 'Admin';
    form.others[0].value = 'more';
    form.others.push(newRow('ca_bundle', '/etc/ca.pem'), newRow('', ''));
    expect(keysOf(form, d.keys)).toEqual([
      { key: 'region', value: 'us-east-1' },
      { key: 'cli_pager', value: 'more' },
      { key: 'sso_role_name', value: 'Admin' },
      { key: 'ca_bundle', value: '/etc/ca.pem' },
    ]);
  });

  it('checks the name and the keys of other rows before asking the app', () => {
    const form = formFrom('a]b', []);
    const bad = newRow('has space', 'x');
    const dup = newRow('region', 'x');
    const nested = newRow('s3', 'x');
    form.others.push(bad, dup, nested, newRow('', ''));
    const e = checkForm(form, ['s3']);
    expect(e.name).toBe('error.invalid_profile_name');
    expect(e.rows).toEqual({ [bad.id]: 'error.invalid_key', [dup.id]: 'error.duplicate_key_field', [nested.id]: 'error.duplicate_key_field' });
    expect(checkForm(formFrom('ok', [])).name).toBeUndefined();
  });
});

describe('findings', () => {
  it('are worded by code in the person language, else the English message', () => {
    expect(findingText('en', finding('region_format', 'region'))).toBe('This does not look like a region name such as us-east-1.');
    expect(findingText('zh-TW', finding('region_format', 'region'))).toBe('這看起來不像區域名稱，例如 us-east-1。');
    expect(findingText('zh-TW', finding('brand_new_code', null, 'the message'))).toBe('the message');
  });

  it('without a field in the form go above it', () => {
    const form = formFrom('dev', [{ key: 'cli_pager', value: 'x' }]);
    const fs = [finding('region_format', 'region'), finding('sso_missing_config', null), finding('x', 'cli_pager'), finding('y', 's3')];
    expect(generalFindings(fs, form).map((f) => f.code)).toEqual(['sso_missing_config', 'y']);
  });
});

describe('mergeForm after a conflict', () => {
  it('keeps the person changes, takes the other program ones, names the keys both changed', () => {
    const base = detail([
      ['region', 'eu-west-1'],
      ['output', 'json'],
      ['cli_pager', 'less'],
      ['sso_role_name', 'Dev'],
    ]);
    const theirs = detail([
      ['region', 'eu-west-1'],
      ['output', 'yaml'],
      ['cli_pager', 'more'],
      ['sso_role_name', 'Dev'],
      ['ca_bundle', '/ca'],
    ]);
    const form = formFrom('dev', base.keys);
    form.common.region = 'us-east-1'; // only the person
    form.others[0].value = 'most'; // both
    form.common.sso_role_name = ''; // the person removed it
    const { form: merged, both } = mergeForm(form, base, theirs);
    expect(both).toEqual(['cli_pager']);
    expect(keysOf(merged, theirs.keys)).toEqual([
      { key: 'region', value: 'us-east-1' },
      { key: 'output', value: 'yaml' },
      { key: 'cli_pager', value: 'most' },
      { key: 'ca_bundle', value: '/ca' },
    ]);
  });
});
