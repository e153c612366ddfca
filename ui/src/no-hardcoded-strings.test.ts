// Every user-visible string comes from the catalogs: a component's markup may hold text only
// inside `{...}` expressions. This reads each .svelte file, drops <script> and <style>, removes
// the expressions, and fails on any letter left in text or in a user-visible attribute.
import { describe, expect, it } from 'vitest';

// Vite reads the sources for us (no Node types needed in the UI's tsconfig).
const sources: Record<string, string> = import.meta.glob('./**/*.svelte', {
  query: '?raw',
  import: 'default',
  eager: true,
});
const VISIBLE_ATTRIBUTES = ['title', 'alt', 'placeholder', 'aria-label', 'aria-description', 'label'];

/** Removes `{...}` expressions, counting nested braces and skipping quoted strings inside. */
function withoutExpressions(markup: string): string {
  let out = '';
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < markup.length; i++) {
    const c = markup[i];
    if (depth > 0) {
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === "'" || c === '`') quote = c;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
      continue;
    }
    if (c === '{') depth = 1;
    else out += c;
  }
  return out;
}

function hardCodedStrings(source: string): string[] {
  const markup = withoutExpressions(
    source.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<style[\s\S]*?<\/style>/g, ''),
  );
  const found: string[] = [];
  for (const attr of VISIBLE_ATTRIBUTES) {
    for (const m of markup.matchAll(new RegExp(`\\s${attr}\\s*=\\s*("[^"]*"|'[^']*')`, 'g'))) {
      if (/\p{L}/u.test(m[1])) found.push(`${attr}=${m[1]}`);
    }
  }
  const text = markup.replace(/<[^>]*>/g, '\n');
  for (const line of text.split('\n')) {
    if (/\p{L}/u.test(line)) found.push(line.trim());
  }
  return found;
}

describe('components', () => {
  it('are found', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(3);
  });

  it.each(Object.entries(sources))('%s has no hard-coded text', (_, source) => {
    expect(hardCodedStrings(source)).toEqual([]);
  });

  it('the check itself catches text and visible attributes', () => {
    expect(hardCodedStrings('<p>Hello {name}</p>')).toEqual(['Hello']);
    expect(hardCodedStrings('<button title="Close">{t(l, "x")}</button>')).toEqual([
      'title="Close"',
    ]);
    expect(hardCodedStrings('<p>{t(lang, `a.{b}`)} · {x}</p><i class="icon"></i>')).toEqual([]);
  });
});
