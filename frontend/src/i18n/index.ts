// i18n: Italian is the only bundled language (no detector, so an Italian-only PA app never flashes English).
// Each feature owns one namespace file in ./it/<namespace>.json; an English translation adds ./en/*.json.
import i18next, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';

const files = import.meta.glob<Record<string, unknown>>('./it/*.json', { eager: true, import: 'default' });

export const italian: Record<string, Record<string, unknown>> = Object.fromEntries(
  Object.entries(files).map(([path, content]) => [path.replace(/^.*\/(\w[\w-]*)\.json$/, '$1'), content]),
);

const resources: Resource = { it: italian };

void i18next.use(initReactI18next).init({
  resources,
  lng: 'it',
  fallbackLng: 'it',
  defaultNS: 'common',
  ns: Object.keys(italian),
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18next;
