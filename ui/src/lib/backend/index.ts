// The one typed door to the Rust side: every backend call of the UI goes through `Backend`, so
// components never call `invoke` themselves and tests can pass another implementation.
// The command names and payloads mirror src-tauri/src/commands.rs (and the `allow-*` grants in
// src-tauri/capabilities/default.json).
import { invoke } from '@tauri-apps/api/core';
import type { Language } from '../i18n';

/** What the window reads once at load (Rust: `state::AppInfo`). */
export interface AppInfo {
  version: string;
  /** `LANYARD_LANG`, else the OS language, as resolved by the app. */
  language: Language;
  /** False when no tray host runs: closing the window then quits the app. */
  trayAvailable: boolean;
}

export interface Backend {
  appInfo(): Promise<AppInfo>;
  /** Switches the tray's language to match the window's. */
  setLanguage(language: Language): Promise<void>;
}

export const tauriBackend: Backend = {
  appInfo: () => invoke<AppInfo>('app_info'),
  setLanguage: (language) => invoke<void>('set_language', { language }),
};
