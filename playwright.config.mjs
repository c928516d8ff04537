// The end-to-end suite: the release build in dist/, served by the reference server with a
// temporary SQLite file per test, driven in Debian's Chromium at phone and desktop sizes.
import { defineConfig, devices } from '@playwright/test';

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'tests/e2e/artifacts/results',
  timeout: 30_000,
  expect: { timeout: 8_000 },
  fullyParallel: true,
  workers: 2,
  // In CI, a test that fails is run once more and reported as flaky when it then passes
  // (two rare failures were seen in one full run and not again in 32 repeats of each: a page
  // error without a message while the first screen's language switch navigates with the wasm
  // held back, and a double-click test that typed while the app took the form over, now
  // waiting for the app's form). A test that fails twice fails the run.
  retries: process.env.CI ? 1 : 0,
  forbidOnly: true,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'tests/e2e/artifacts/report' }]],
  use: {
    launchOptions: { executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs },
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'phone',
      use: { viewport: { width: 360, height: 780 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2,
             userAgent: devices['Pixel 7'].userAgent },
    },
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 } } },
  ],
});
