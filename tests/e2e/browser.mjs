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

// A page that fails on any page error, console error or Content-Security-Policy
// violation (reported by the page itself, so none goes unseen).
export async function strictPage(browser) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.stack ?? e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.exposeFunction('__samlkitCspViolation', (v) => errors.push(`CSP violation: ${v}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__samlkitCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
  });
  page.assertNoErrors = () => { if (errors.length) throw new Error(errors.join('\n')); };
  return page;
}

// The page was served under samlkit-server's strict policy: scripts from self only.
export function assertStrictPolicy(response) {
  const csp = response.headers()['content-security-policy'] ?? '';
  if (!csp.includes("script-src 'self' 'wasm-unsafe-eval';") || csp.includes('unsafe-inline') || !csp.includes("frame-ancestors 'none'")) {
    throw new Error(`not served under the strict policy: ${csp}`);
  }
}
