// Shared Playwright set-up: Debian's Chromium, headless, and a page that fails
// the test on any page error or console error (a broken wasm build shows up only so).
import { chromium } from '../../tools/node_modules/playwright-core/index.mjs';
import { mkdirSync } from 'node:fs';

export const screenshots = new URL('../../target/screenshots/', import.meta.url);
mkdirSync(screenshots, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export async function strictPage(browser) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.assertNoErrors = () => { if (errors.length) throw new Error(errors.join('\n')); };
  return page;
}
