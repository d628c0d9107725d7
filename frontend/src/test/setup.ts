import '@testing-library/jest-dom/vitest';
import { configure } from '@testing-library/react';
import '../i18n';

// findBy*/waitFor give up after 1 s by default; on a busy 2-core machine a lazy screen can take longer to appear.
// The wait ends as soon as the element shows, so a generous bound costs nothing when things are fast.
configure({ asyncUtilTimeout: 10_000 });
