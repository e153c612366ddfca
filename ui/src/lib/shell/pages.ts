// The window's pages, in navigation order, with the catalog keys of their labels and empty
// states. Pure data, so the navigation and its translations are unit-tested.
import type { MessageKey } from '../i18n';

export type PageId = 'sessions' | 'profiles' | 'ssoSessions' | 'populate' | 'settings';

export interface Page {
  id: PageId;
  label: MessageKey;
  /** Shown while the page has nothing to list. Settings has no empty state. */
  empty?: { title: MessageKey; body: MessageKey };
}

export const pages: readonly Page[] = [
  {
    id: 'sessions',
    label: 'nav.sessions',
    empty: { title: 'sessions.empty.title', body: 'sessions.empty.body' },
  },
  {
    id: 'profiles',
    label: 'nav.profiles',
    empty: { title: 'profiles.empty.title', body: 'profiles.empty.body' },
  },
  {
    id: 'ssoSessions',
    label: 'nav.ssoSessions',
    empty: { title: 'ssoSessions.empty.title', body: 'ssoSessions.empty.body' },
  },
  {
    id: 'populate',
    label: 'nav.populate',
    empty: { title: 'populate.empty.title', body: 'populate.empty.body' },
  },
  { id: 'settings', label: 'nav.settings' },
];

/** The page for an id; the first page for anything unknown. */
export function pageById(id: string): Page {
  return pages.find((p) => p.id === id) ?? pages[0];
}
