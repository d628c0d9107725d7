/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  plugins: [react()],
  define: { __APP_VERSION__: JSON.stringify(process.env.ARGINE_VERSION ?? pkg.version) },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Lightning CSS (Vite 8's default) rejects Bootstrap Italia's pre-minified CSS.
    cssMinify: 'esbuild',
    chunkSizeWarningLimit: 800,
  },
  server: { proxy: { '/api': process.env.ARGINE_API ?? 'http://127.0.0.1:8080' } },
  test: {
    environment: 'jsdom',
    setupFiles: ['src/test/setup.ts'],
    css: false,
    include: ['src/**/*.test.{ts,tsx}'],
    server: { deps: { inline: ['design-react-kit'] } },
  },
});
