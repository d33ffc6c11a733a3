// Playwright: browser journeys against the web host (a fresh sample lakehouse per run), on a locally installed Chromium.
import { existsSync } from 'node:fs'
import { defineConfig } from '@playwright/test'
import { chromium } from 'playwright-core'

/**
 * The Chromium to drive: $LAKEBENCH_CHROMIUM, else Debian's /usr/bin/chromium, else a browser Playwright installed
 * itself. Never downloads one (this project runs offline).
 */
function findChromium(): string {
  const fromEnv = process.env.LAKEBENCH_CHROMIUM
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`LAKEBENCH_CHROMIUM=${fromEnv} does not exist. Point it at a Chrome/Chromium binary.`)
    return fromEnv
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium'
  const bundled = chromium.executablePath()
  if (bundled && existsSync(bundled)) return bundled
  throw new Error('No Chromium found for the browser tests. Install Chromium: sudo apt-get install -y chromium, or set LAKEBENCH_CHROMIUM=/path/to/chrome')
}

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  outputDir: 'test-results/artifacts',
  globalSetup: './e2e/support/globalSetup.ts',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: findChromium(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run'
      ]
    }
  }
})
