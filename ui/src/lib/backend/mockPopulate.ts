// The mock backend's populate (mock build and tests only), after lanyard-core's
// populate/plan.rs: one profile per account × role named by the template, a shared name or one
// a person made gets `-{account_id}`, hand-made profiles are never touched, generated ones
// (`lanyard_generated = SESSION`) are updated in place, and in prune or remove mode the generated
// ones no longer wanted go. File-mode keys only (no secure mode in the mock).
import type { AccountDto, PopulateRequest } from './index';
import { ConfigModel, MARKER, get, profileHeader, profileName, set } from './mockConfig';
import { parseTemplate, renderTemplate } from '../populate/template';

export interface MockPlan {
  add: number;
  update: number;
  remove: number;
  kept: number;
  unchanged: number;
  suffixed: number;
}

/** Plans the request against `model` and makes the plan on it (in place). Throws
 * `{code: 'populate', message}` as the app refuses a plan. */
export function populate(model: ConfigModel, accounts: AccountDto[], req: PopulateRequest): MockPlan {
  const refuse = (message: string) => {
    throw { code: 'populate', message };
  };
  const parsed = parseTemplate(req.template);
  if ('error' in parsed) refuse(parsed.error);
  const parts = 'parts' in parsed ? parsed.parts : [];
  const session = req.session;
  const plan: MockPlan = { add: 0, update: 0, remove: 0, kept: 0, unchanged: 0, suffixed: 0 };
  const profiles = new Map(model.profiles().map((p) => [p.name, p.section]));
  const ours = [...profiles].filter(([, s]) => get(s, MARKER) === session).map(([n]) => n);
  const drop = (names: string[]) => {
    const gone = new Set(names);
    model.sections = model.sections.filter((s) => !gone.has(profileName(s.header) ?? ''));
  };
  if (req.mode === 'remove') {
    drop(ours);
    plan.remove = ours.length;
    model.changed();
    return plan;
  }
  const handMade = (name: string) => profiles.has(name) && get(profiles.get(name)!, MARKER) !== session;
  const pairs: { id: string; role: string; base: string }[] = [];
  for (const a of accounts) {
    for (const role of a.roles) {
      const base = renderTemplate(parts, { account_name: a.account_name ?? '', account_id: a.account_id, role_name: role, session });
      const reason = !base ? 'it is empty' : !/[A-Za-z0-9]/.test(base) ? 'it has no letter or digit' : base === 'default' ? 'it is the name of the default profile' : null;
      if (reason)
        refuse(`the template ${JSON.stringify(req.template)} gives the name ${JSON.stringify(base)} for account ${a.account_id} and role ${role}, which cannot be a profile name: ${reason}`);
      pairs.push({ id: a.account_id, role, base });
    }
  }
  const count = new Map<string, number>();
  for (const p of pairs) count.set(p.base, (count.get(p.base) ?? 0) + 1);
  const wanted = new Map<string, { id: string; role: string }>();
  for (const { id, role, base } of pairs) {
    const name = count.get(base)! > 1 || handMade(base) ? `${base}-${id}` : base;
    if (name !== base) plan.suffixed++;
    if (handMade(name))
      refuse(`profile ${JSON.stringify(name)} (for account ${id} and role ${role}) already exists and was not generated for sso-session ${session}; populate never overwrites it. Rename or remove that profile, or choose another --template`);
    const other = wanted.get(name);
    if (other)
      refuse(`the template ${JSON.stringify(req.template)} gives the same name ${JSON.stringify(name)} to account ${other.id} role ${other.role} and to account ${id} role ${role}; put {role_name} and {account_id} or {account_name} in the template`);
    wanted.set(name, { id, role });
  }
  const region = req.region?.trim() || null;
  const output = req.output?.trim() || null;
  for (const [name, { id, role }] of wanted) {
    const keys: [string, string][] = [
      ['sso_session', session],
      ['sso_account_id', id],
      ['sso_role_name', role],
      ...(region ? [['region', region] as [string, string]] : []),
      ...(output ? [['output', output] as [string, string]] : []),
      [MARKER, session],
    ];
    const s = profiles.get(name);
    if (!s) {
      model.sections.push({ header: profileHeader(name), lines: keys.map(([key, value]) => ({ t: 'key', key, value })) });
      plan.add++;
    } else {
      const changed = keys.filter(([k, v]) => get(s, k) !== v);
      if (changed.length === 0) plan.unchanged++;
      else {
        for (const [k, v] of changed) set(s, k, v);
        plan.update++;
      }
    }
  }
  const unwanted = ours.filter((n) => !wanted.has(n));
  if (req.mode === 'prune') {
    drop(unwanted);
    plan.remove = unwanted.length;
  } else plan.kept = unwanted.length;
  model.changed();
  return plan;
}
