import '@testing-library/jest-dom/vitest';
import { configure } from '@testing-library/react';
import { loadFeatureTexts } from '../i18n';
import { loadDialogKit } from '../components/Modal';

// The browser loads the features' texts and the dialog kit when they are first needed (issue #19); the tests
// have them up front, so a screen renders and a dialog opens as synchronously as they did when both were bundled.
await Promise.all([loadFeatureTexts(), loadDialogKit()]);

// findBy*/waitFor give up after 1 s by default; on a busy 2-core machine a lazy screen can take longer to appear.
// The wait ends as soon as the element shows, so a generous bound costs nothing when things are fast.
configure({ asyncUtilTimeout: 10_000 });
