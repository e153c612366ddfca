// The one typed door to the Rust side: every backend call of the UI goes through `Backend`, so
// components never call `invoke` or `listen` themselves and tests can pass another
// implementation. The command names, event names and payloads mirror src-tauri/src/commands.rs
// and src-tauri/src/state.rs (and the grants in src-tauri/capabilities/default.json).
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { Language } from '../i18n';

/** What the window reads once at load (Rust: `state::AppInfo`). */
export interface AppInfo {
  version: string;
  /** `LANYARD_LANG`, else the OS language, as resolved by the app. */
  language: Language;
  /** False when no tray host runs: closing the window then quits the app. */
  trayAvailable: boolean;
}

/** A device sign-in waiting for its code to be confirmed (Rust: `state::DeviceCode`). */
export interface DeviceCode {
  session: string;
  userCode: string;
  verificationUri: string;
  /** The verification page with the code filled in: what the link opens. */
  verificationUriComplete: string;
}

/** How a sign-in ended (Rust: `state::SignInDone`). */
export interface SignInDone {
  session: string;
  ok: boolean;
  /** lanyard-core's error code when it failed (`access_denied`, `device_code_expired`, …). */
  code: string | null;
}

/** An error from a command: branch on `code`, show `message` only as detail. */
export interface IpcError {
  code: string;
  message: string;
}

/** Stops listening to an event. */
export type Unlisten = () => void;

/** Event names (Rust: `state::EVENT_DEVICE_CODE`, `state::EVENT_SIGN_IN_DONE`). */
export const EVENT_DEVICE_CODE = 'device-code';
export const EVENT_SIGN_IN_DONE = 'sign-in-done';

export interface Backend {
  appInfo(): Promise<AppInfo>;
  /** Switches the tray's language to match the window's. */
  setLanguage(language: Language): Promise<void>;
  /** The device sign-ins already waiting (started before this window opened). */
  deviceSignIns(): Promise<DeviceCode[]>;
  /** Puts a waiting sign-in's user code on the clipboard. */
  copyDeviceCode(session: string): Promise<void>;
  /** Opens a waiting sign-in's verification page in the browser. */
  openDeviceVerification(session: string): Promise<void>;
  /** Calls `handler` whenever a device sign-in starts. */
  onDeviceCode(handler: (code: DeviceCode) => void): Promise<Unlisten>;
  /** Calls `handler` whenever a sign-in ends, either way. */
  onSignInDone(handler: (done: SignInDone) => void): Promise<Unlisten>;
}

export const tauriBackend: Backend = {
  appInfo: () => invoke<AppInfo>('app_info'),
  setLanguage: (language) => invoke<void>('set_language', { language }),
  deviceSignIns: () => invoke<DeviceCode[]>('device_sign_ins'),
  copyDeviceCode: (session) => invoke<void>('copy_device_code', { session }),
  openDeviceVerification: (session) => invoke<void>('open_device_verification', { session }),
  onDeviceCode: (handler) => listen<DeviceCode>(EVENT_DEVICE_CODE, (e) => handler(e.payload)),
  onSignInDone: (handler) => listen<SignInDone>(EVENT_SIGN_IN_DONE, (e) => handler(e.payload)),
};
