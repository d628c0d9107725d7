import 'bootstrap-italia/dist/css/bootstrap-italia.min.css';
// The typeface in the weights the interface draws (preloaded by vite.config.ts). Not the light 300, which only
// Bootstrap Italia's .lead asks for: loaded late, it redrew the home page's welcome line and shifted what follows
// (a layout shift of 0.009-0.021, issue #19); .lead is drawn in the nearest weight present, 400.
import '@fontsource/titillium-web/400.css';
import '@fontsource/titillium-web/600.css';
import '@fontsource/titillium-web/700.css';
import './styles.css';
import './i18n';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api/client';
import { App, preloadScreen } from './app/App';
import { watchStackTables } from './lib/stackTables';

watchStackTables();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// A tab that resumes a session fetches its screen alongside the session, not after it (app/App.tsx) — once the
// first frame is painted, so the first paint waits only for what it shows (requestAnimationFrame runs before that
// paint, the timeout it sets after it).
if (api.resumable) requestAnimationFrame(() => setTimeout(() => void preloadScreen(window.location.pathname)?.catch(() => undefined)));
