/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { purgeBootstrapItalia } from './scripts/purge-css.ts';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  plugins: [
    react(),
    // Only the Bootstrap Italia rules the interface can use (scripts/purge-css.ts): the first screen's stylesheet
    // is render-blocking, and the whole bundle is 585 KB (issue #19).
    purgeBootstrapItalia(fileURLToPath(new URL('.', import.meta.url))),
    // The interface's typefaces preloaded with the page, so the text is drawn in them from the first paint instead
    // of being drawn again (and reflowed: a layout shift) when they arrive after the stylesheet (issue #19).
    {
      name: 'argine-preload-fonts',
      apply: 'build',
      transformIndexHtml: {
        order: 'post',
        handler: (_html, ctx) =>
          Object.keys(ctx.bundle ?? {})
            .filter((f) => /titillium-web-latin-(400|600|700)-normal-[\w-]+\.woff2$/.test(f))
            .sort()
            .map((f) => ({ tag: 'link', attrs: { rel: 'preload', href: `/${f}`, as: 'font', type: 'font/woff2', crossorigin: '' }, injectTo: 'head' as const })),
      },
    },
    // A JSON file imported with ?json-text: its content, minified, as one string for JSON.parse (i18n/featureTexts.ts).
    // The engine reads JSON several times faster than the same data compiled as object literals, and the features'
    // texts (130 KB) are read on the main thread by every signed-in screen's first render (issue #19).
    {
      name: 'argine-json-text',
      enforce: 'pre',
      load(id) {
        if (!id.endsWith('.json?json-text')) return null;
        const text = JSON.stringify(JSON.parse(readFileSync(id.slice(0, -'?json-text'.length), 'utf8')));
        return `export default ${JSON.stringify(text)};`;
      },
    },
    // Vite empties dist/ before a build; the Go embed pattern (frontend/embed.go) needs the tracked dist/.gitkeep back.
    { name: 'argine-keep-dist', apply: 'build', closeBundle: () => writeFileSync(fileURLToPath(new URL('./dist/.gitkeep', import.meta.url)), '') },
  ],
  define: { __APP_VERSION__: JSON.stringify(process.env.ARGINE_VERSION ?? pkg.version) },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Lightning CSS (Vite 8's default) rejects Bootstrap Italia's pre-minified CSS.
    cssMinify: 'esbuild',
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        // The libraries every screen runs get chunks of their own, named after them, so a release that changes
        // only the interface's code leaves them in the browser's cache; the dialog kit (design-react-kit,
        // reactstrap) stays with components/DialogKit.tsx, loaded when a dialog first opens (issue #19).
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 2 },
            { name: 'router-i18n', test: /node_modules[\\/](react-router|react-router-dom|i18next|react-i18next|cookie|set-cookie-parser)[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': process.env.ARGINE_API ?? 'http://127.0.0.1:8080' } },
  test: {
    environment: 'jsdom',
    setupFiles: ['src/test/setup.ts'],
    css: false,
    include: ['src/**/*.test.{ts,tsx}'],
    // Sized for a busy 2-core machine (CI runs the Go suite on the same cores): the 5 s default failed tests that
    // render a whole screen there. A test that hangs still fails, after 30 s.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // design-react-kit's exports map has only "module" and "main" conditions, which Vitest's resolver ignores: point at
    // its ESM build and let Vite transform it. Its Video component imports Bootstrap Italia's JS bundle, which sets
    // process.env.NODE_ENV to "production" (React would then load without its development runtime): stub it.
    alias: [
      { find: /^design-react-kit$/, replacement: fileURLToPath(new URL('./node_modules/design-react-kit/dist/index.js', import.meta.url)) },
      { find: /^bootstrap-italia$/, replacement: fileURLToPath(new URL('./src/test/bootstrap-italia-stub.ts', import.meta.url)) },
    ],
    server: { deps: { inline: ['design-react-kit'] } },
  },
});
