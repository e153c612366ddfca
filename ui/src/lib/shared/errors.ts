// Errors from the app arrive as `{code, message}`; the window words them itself, in the person's
// language, by `code` (the message is only shown as detail). Unknown codes get a general line.
import { catalogs, fill, type Language, type MessageKey } from '../i18n';
import type { IpcError } from '../backend';

/** The catalog key for an error code (`error.<code>`), or `error.unknown`. */
export function errorKey(code: string): MessageKey {
  const key = `error.${code}`;
  return (key in catalogs.en ? key : 'error.unknown') as MessageKey;
}

/** The error in words: the code's sentence, and the app's detail after it. */
export function describeError(lang: Language, e: IpcError): { text: string; detail: string } {
  return { text: fill(lang, errorKey(e.code), { code: e.code }), detail: e.message };
}
