// End-to-end tests: Debian's Chromium (never a downloaded browser) drives the real `argine` binary (make build)
// on fresh SQLite databases. Two projects:
//   functional (make e2e): the demo as shipped (the review story, accessibility, screenshots); no timing assertion;
//     the campaign story, which consolidates the open cycle, has a demo server of its own.
//   perf (make perf, ARGINE_E2E_PERF=1): the performance budgets, measured against the demo with every leaf
//     assessed; it reports the figures and fails on a budget only with ARGINE_PERF_STRICT=1.
// Ports: ARGINE_E2E_PORT (and the next two) when set, else free ports picked when the run starts. The runner
// loads this file again in each worker: the ports picked are kept in the environment, which workers inherit.
import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';

function freePort(): string {
  // A synchronous child process, since the configuration is evaluated synchronously: bind port 0, print it, close.
  return execFileSync(process.execPath, ['-e',
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close();});"],
  { encoding: 'utf8' }).trim();
}

if (!process.env.ARGINE_E2E_STORY_PORT) {
  const base = Number(process.env.ARGINE_E2E_PORT ?? 0);
  process.env.ARGINE_E2E_STORY_PORT = base ? String(base) : freePort();
  process.env.ARGINE_E2E_FULL_PORT = base ? String(base + 1) : freePort();
  process.env.ARGINE_E2E_CAMPAIGN_PORT = base ? String(base + 2) : freePort();
  process.env.ARGINE_E2E_IDP_PORT = base ? String(base + 3) : freePort();
}
const storyPort = process.env.ARGINE_E2E_STORY_PORT;
const fullPort = process.env.ARGINE_E2E_FULL_PORT;
const campaignPort = process.env.ARGINE_E2E_CAMPAIGN_PORT;
const idpPort = process.env.ARGINE_E2E_IDP_PORT;
// The perf project, and its server, only in a perf run (make perf), so a plain `npx playwright test` is the
// functional suite.
const perf = process.env.ARGINE_E2E_PERF === '1';

const binary = process.env.ARGINE_BINARY ?? '../bin/argine';
const dir = 'e2e-artifacts';
export const storyURL = `http://127.0.0.1:${storyPort}`;
export const fullURL = `http://127.0.0.1:${fullPort}`;
export const idpURL = `http://127.0.0.1:${idpPort}`;
// The campaign story consolidates the demo's open cycle: it runs on a demo of its own, so the other stories
// still find the cycle open.
export const campaignURL = `http://127.0.0.1:${campaignPort}`;

// The test OpenID Provider (internal/oidctest, a real provider on loopback, never part of the argine binary): the
// story server signs the demo ente's people in with it too (sso.spec.ts). It writes the server's
// ARGINE_OIDC_CONFIG_FILE once it listens; the story server waits for that file.
const oidcConfig = `${dir}/oidc.json`;
const idpServer: NonNullable<PlaywrightTestConfig['webServer']> = {
  command: `mkdir -p ${dir} && rm -f ${oidcConfig} && cd .. && go run ./internal/oidctest/cmd/testidp --addr 127.0.0.1:${idpPort} --argine-url ${storyURL} --config-out frontend/${oidcConfig} 2>frontend/${dir}/idp.log`,
  url: `${idpURL}/.well-known/openid-configuration`,
  reuseExistingServer: false,
  timeout: 300_000,
  stdout: 'ignore',
  stderr: 'pipe',
};

// Sized for a busy 2-core machine: a bound is how long to wait before calling something hung, not a budget.
const storyServer: NonNullable<PlaywrightTestConfig['webServer']> = {
  command: `mkdir -p ${dir} && rm -f ${dir}/story.db* && for i in $(seq 600); do [ -f ${oidcConfig} ] && break; sleep 0.5; done && ${binary} serve --demo --database-url sqlite:${dir}/story.db 2>${dir}/story-server.log`,
  env: { ARGINE_ADDR: `127.0.0.1:${storyPort}`, ARGINE_PUBLIC_URL: storyURL, ARGINE_OIDC_CONFIG_FILE: oidcConfig },
  url: `${storyURL}/readyz`,
  reuseExistingServer: false,
  timeout: 180_000,
  stdout: 'ignore',
  stderr: 'pipe',
};
const campaignServer: NonNullable<PlaywrightTestConfig['webServer']> = {
  ...storyServer,
  command: `mkdir -p ${dir} && rm -f ${dir}/campaign.db* && ${binary} serve --demo --database-url sqlite:${dir}/campaign.db 2>${dir}/campaign-server.log`,
  env: { ARGINE_ADDR: `127.0.0.1:${campaignPort}` },
  url: `${campaignURL}/readyz`,
};
const fullServer: NonNullable<PlaywrightTestConfig['webServer']> = {
  command: `mkdir -p ${dir} && rm -f ${dir}/full.db* && ${binary} demo --full-register --database-url sqlite:${dir}/full.db >/dev/null && ${binary} serve --database-url sqlite:${dir}/full.db --demo 2>${dir}/full-server.log`,
  env: { ARGINE_ADDR: `127.0.0.1:${fullPort}` },
  url: `${fullURL}/readyz`,
  reuseExistingServer: false,
  timeout: 300_000,
  stdout: 'ignore',
  stderr: 'pipe',
};

export default defineConfig({
  testDir: 'e2e',
  outputDir: `${dir}/results`,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['json', { outputFile: `${dir}/report.json` }]],
  use: {
    baseURL: storyURL,
    locale: 'it-IT',
    timezoneId: 'Europe/Rome',
    viewport: { width: 1280, height: 800 },
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: perf
    ? [{ name: 'perf', testMatch: /\.perf\.spec\.ts$/ }]
    : [{ name: 'functional', testIgnore: /\.perf\.spec\.ts$/ }],
  webServer: perf ? [fullServer] : [idpServer, storyServer, campaignServer],
});
