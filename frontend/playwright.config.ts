// End-to-end tests: Debian's Chromium (never a downloaded browser) drives the real `argine` binary (make build)
// on fresh SQLite databases. Two servers: the demo as shipped (the review story, accessibility, screenshots) and the
// demo with every leaf assessed (the register's performance budget).
import { defineConfig } from '@playwright/test';

const binary = process.env.ARGINE_BINARY ?? '../bin/argine';
const dir = 'e2e-artifacts';
export const storyURL = 'http://127.0.0.1:18090';
export const fullURL = 'http://127.0.0.1:18091';

export default defineConfig({
  testDir: 'e2e',
  outputDir: `${dir}/results`,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: `${dir}/report.json` }]],
  use: {
    baseURL: storyURL,
    locale: 'it-IT',
    timezoneId: 'Europe/Rome',
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: [
    {
      command: `mkdir -p ${dir} && rm -f ${dir}/story.db* && ${binary} serve --demo --database-url sqlite:${dir}/story.db 2>${dir}/story-server.log`,
      env: { ARGINE_ADDR: '127.0.0.1:18090' },
      url: `${storyURL}/readyz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `mkdir -p ${dir} && rm -f ${dir}/full.db* && ${binary} demo --full-register --database-url sqlite:${dir}/full.db >/dev/null && ${binary} serve --database-url sqlite:${dir}/full.db --demo 2>${dir}/full-server.log`,
      env: { ARGINE_ADDR: '127.0.0.1:18091' },
      url: `${fullURL}/readyz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
