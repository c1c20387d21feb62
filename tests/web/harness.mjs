// What every browser test file needs before its first test: its command-line
// options, the build it tests, and Chromium through playwright-core.
//
//   import { option, sourceDir, buildDir, chromium, chromiumPath, DESKTOP } from './harness.mjs';
//
// Importing it exits the process with 77 (skipped) when Chromium or
// tests/web/node_modules is missing, and with 1 when a binary the stack
// starts is not built.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SKIP = 77;
const here = path.dirname(fileURLToPath(import.meta.url));

export const sourceDir = path.resolve(here, '../..');

// The value after --NAME on the command line, else `fallback`.
export function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

export const buildDir = path.resolve(option('build', process.env.SOCIO_BUILD_DIR || path.join(sourceDir, 'build')));
export const chromiumPath = process.env.SOCIO_CHROMIUM || '/usr/bin/chromium';
const playwrightEntry = path.join(here, 'node_modules/playwright-core/index.mjs');

if (!existsSync(chromiumPath)) {
  console.log(`SKIP: no Chromium at ${chromiumPath} (apt-get install chromium, or set SOCIO_CHROMIUM)`);
  process.exit(SKIP);
}
if (!existsSync(playwrightEntry)) {
  console.log('SKIP: tests/web/node_modules is missing: run npm ci --prefix tests/web --no-audit --no-fund');
  process.exit(SKIP);
}
for (const bin of ['services/sociod', 'gateway/socio-gateway', 'clients/socio', 'bench/socio-gen']) {
  if (!existsSync(path.join(buildDir, bin))) {
    console.error(`${path.join(buildDir, bin)} is missing: build sociod, socio-gateway, socio and socio-gen first`);
    process.exit(1);
  }
}

export const { chromium } = await import(pathToFileURL(playwrightEntry).href);

export const DESKTOP = { width: 1366, height: 768 };

// Signs in on the console at `baseUrl` with `token` and waits until the
// account is shown.
export async function signIn(page, baseUrl, token) {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#account .who').waitFor();
}

// A page in a new browser context (`options` as browser.newContext takes
// them) that records in `problems` what a user would see go wrong: console
// errors (and warnings, unless `warnings` is false), uncaught exceptions and
// answers of 400 and above, except the refusals `expected(url, status)` says
// a test provokes on purpose.
export async function openPage(browser, problems, { expected = () => false, warnings = true, ...options } = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.on('console', (msg) => {
    if (msg.type() !== 'error' && !(warnings && msg.type() === 'warning')) return;
    const url = msg.location()?.url || '';
    const status = /status of (\d{3})/.exec(msg.text());
    if (status && url && expected(url, Number(status[1]))) return; // the browser's own log of a refusal asked for
    problems.push(`${msg.type()}: ${msg.text()} (${url})`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && !expected(r.url(), r.status())) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  return page;
}
