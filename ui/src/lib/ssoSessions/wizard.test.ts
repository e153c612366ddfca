import { describe, expect, it } from 'vitest';
import type { AccountDto } from '../backend';
import { filterAccounts, profileErrors } from './wizard';

const accounts: AccountDto[] = [
  { account_id: '929723862016', account_name: 'acme-ci-prod', email: 'aws+ci-prod@acme.example', roles: ['A'] },
  { account_id: '916473019108', account_name: 'acme-ci-dev', email: 'aws+ci-dev@acme.example', roles: ['B'] },
  { account_id: '111122223333', account_name: null, email: 'ops@other.example', roles: ['C'] },
];
const ids = (list: AccountDto[]) => list.map((a) => a.account_id);

describe('filterAccounts', () => {
  it('finds by name, id or email, any case, every word', () => {
    expect(ids(filterAccounts(accounts, 'CI-DEV'))).toEqual(['916473019108']);
    expect(ids(filterAccounts(accounts, '9297'))).toEqual(['929723862016']);
    expect(ids(filterAccounts(accounts, 'other.example'))).toEqual(['111122223333']);
    expect(ids(filterAccounts(accounts, 'acme prod'))).toEqual(['929723862016']);
    expect(filterAccounts(accounts, 'nothing')).toEqual([]);
  });

  it('lists everything sorted by name when the search is empty', () => {
    expect(ids(filterAccounts(accounts, ' '))).toEqual(['111122223333', '916473019108', '929723862016']);
  });
});

describe('profileErrors', () => {
  it('checks the profile name, region and output as the CLI does', () => {
    expect(profileErrors({ profile: 'dev', region: 'eu-west-1', output: 'json' })).toEqual({});
    expect(profileErrors({ profile: 'dev', region: '', output: '' })).toEqual({});
    expect(profileErrors({ profile: ' ', region: 'Paris', output: 'js on' })).toEqual({
      profile: true,
      region: true,
      output: true,
    });
  });
});
