// The texts of the feature screens, in one chunk loaded after the first screen (i18n/index.ts, loadFeatureTexts):
// ~40 KB gzipped that the sign-in page never needs and that held up every first paint when they shipped in the
// entry script (issue #19). One chunk rather than one per namespace because screens borrow each other's texts
// (the review's texts in the assessment editor and the audit trail, the register's filters in the campaign).
// Each file as its minified text (?json-text, a plugin in vite.config.ts), parsed by JSON.parse when loaded: the
// engine reads 130 KB of JSON several times faster than the same texts compiled as object literals (issue #19).
export const featureTexts = import.meta.glob<string>(
  ['./it/*.json', '!./it/common.json', '!./it/errors.json', '!./it/fieldErrors.json', '!./it/security.json', '!./it/notifications.json'],
  { eager: true, query: '?json-text', import: 'default' },
);
