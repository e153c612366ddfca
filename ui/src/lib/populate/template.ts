// Profile-name templates as lanyard-core reads them (crates/lanyard-core/src/populate/
// template.rs): the default, the fields a template may use (the Populate page lists them), and
// the parse / render / clean rules, which the mock backend uses to answer like the app. The real
// app checks templates itself (populateNames); the window never relies on this copy for that.

/** The default template. */
export const DEFAULT_TEMPLATE = '{account_name}.{role_name}';

/** The fields a template may use, as written (template.rs `FIELDS`). */
export const FIELDS = ['{account_name}', '{account_id}', '{role_name}', '{session}'] as const;

export interface TemplateValues {
  account_name: string;
  account_id: string;
  role_name: string;
  session: string;
}

type Part = { text: string } | { field: keyof TemplateValues };

/** A parsed template, or lanyard-core's message saying why it cannot be used. */
export function parseTemplate(source: string): { parts: Part[] } | { error: string } {
  if (source === '') return { error: `the template is empty; the default is ${DEFAULT_TEMPLATE}` };
  const parts: Part[] = [];
  let text = '';
  let i = 0;
  const q = JSON.stringify(source);
  while (i < source.length) {
    const c = source[i];
    if (c === '{') {
      const end = source.indexOf('}', i);
      if (end < 0) return { error: `the template ${q} has an unmatched {; fields are written like {role_name}` };
      const name = source.slice(i + 1, end);
      if (!FIELDS.includes(`{${name}}` as (typeof FIELDS)[number])) {
        if (name.includes('{')) return { error: `the template ${q} has an unmatched {; fields are written like {role_name}` };
        return { error: `the template ${q} uses the unknown field {${name}}; the fields are ${FIELDS.join(', ')}` };
      }
      if (text) parts.push({ text });
      text = '';
      parts.push({ field: name as keyof TemplateValues });
      i = end + 1;
    } else if (c === '}') {
      return { error: `the template ${q} has an unmatched }; fields are written like {role_name}` };
    } else {
      text += c;
      i++;
    }
  }
  if (text) parts.push({ text });
  return { parts };
}

/** The name with every character outside `A-Z a-z 0-9 _ - / . % @ : +` replaced by `-`. */
export function cleanName(name: string): string {
  return Array.from(name, (c) => (/^[A-Za-z0-9_\-/.%@:+]$/.test(c) ? c : '-')).join('');
}

/** The cleaned profile name the parts give for these values. */
export function renderTemplate(parts: Part[], v: TemplateValues): string {
  return cleanName(parts.map((p) => ('text' in p ? p.text : v[p.field])).join(''));
}
