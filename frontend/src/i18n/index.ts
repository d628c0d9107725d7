// i18n: Italian is the only bundled language (no detector, so an Italian-only PA app never flashes English).
// Each feature owns one namespace file in ./it/<namespace>.json; an English translation adds ./en/*.json.
// The first screen's namespaces (the shell, the sign-in form, errors, the notification bell) ship with the entry
// script; the features' texts come in one later chunk (featureTexts.ts), loaded with the first feature screen
// (loadFeatureTexts, called by the routes in app/App.tsx) or by useTranslation asking for a feature namespace
// (the backend below; it suspends until they are in). Issue #19: they were ~40 KB of the first screen's 150 KB.
import i18next, { type BackendModule, type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';

const files = import.meta.glob<Record<string, unknown>>(
  ['./it/common.json', './it/errors.json', './it/fieldErrors.json', './it/security.json', './it/notifications.json'],
  { eager: true, import: 'default' },
);

const namespaceOf = (path: string) => path.replace(/^.*\/(\w[\w-]*)\.json$/, '$1');

/** Every loaded namespace; the features' ones are added by loadFeatureTexts. */
export const italian: Record<string, Record<string, unknown>> = Object.fromEntries(
  Object.entries(files).map(([path, content]) => [namespaceOf(path), content]),
);

let featureTextsLoading: Promise<void> | undefined;

/** Loads the feature screens' texts once (every later call returns the same promise). */
export function loadFeatureTexts(): Promise<void> {
  featureTextsLoading ??= import('./featureTexts').then(({ featureTexts }) => {
    for (const [path, text] of Object.entries(featureTexts)) {
      const ns = namespaceOf(path);
      const content = JSON.parse(text) as Record<string, unknown>;
      // skipCopy: the bundle is read only, and copying 180 KB of texts is work on the main thread
      i18next.addResourceBundle('it', ns, content, false, true, { skipCopy: true });
      italian[ns] = content;
    }
  });
  return featureTextsLoading;
}

const featureTextsBackend: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read: (_language, namespace, callback) => {
    loadFeatureTexts().then(
      () => callback(null, italian[namespace] ?? {}),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), null),
    );
  },
};

const resources: Resource = { it: italian };

void i18next.use(featureTextsBackend).use(initReactI18next).init({
  resources,
  // the bundled namespaces are used as they are; the backend is asked only for the features' ones
  partialBundledLanguages: true,
  lng: 'it',
  fallbackLng: 'it',
  defaultNS: 'common',
  ns: Object.keys(italian),
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18next;
