import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { DEMO } from '../../src/simulator/seed.js';

// GraphiQL in a real browser: Debian's Chromium driven by playwright-core (never a downloaded browser).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.REQUIRE_CHROMIUM)
  throw new Error(`REQUIRE_CHROMIUM is set but there is no Chromium at ${CHROMIUM}`);
if (!hasChromium) console.warn(`GraphiQL browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const outputDir = new URL('../../test-results/', import.meta.url).pathname;

describe.skipIf(!hasChromium)('GraphiQL in Chromium, on the demo server', () => {
  let app: RunningApp;
  let browser: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    app = await startApp(loadConfig({ PORT: '0' }), pino({ level: 'silent' })); // no credentials: demo mode
    profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
    // A fresh profile per run: playwright passes it to Chromium as --user-data-dir.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1300 }, // tall enough that the editor renders every result line
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close(1000);
    rmSync(profile, { recursive: true, force: true });
  });

  it('runs the pre-filled example query and shows the snapshot in the result pane', async () => {
    const page = await browser.newPage();
    const external: string[] = [];
    page.on('request', (request) => {
      if (
        !request.url().startsWith(new URL(app.graphqlUrl).origin) &&
        !request.url().startsWith('blob:') &&
        !request.url().startsWith('data:')
      )
        external.push(request.url());
    });
    await page.goto(app.graphqlUrl, { waitUntil: 'load' });
    const editor = page.locator('.graphiql-query-editor');
    await expect
      .poll(async () => (await editor.innerText()).replace(/\u00a0/g, ' '), { timeout: 15_000 })
      .toContain(`snapshotId: "${DEMO.snapshotId}"`);
    await page.locator('.graphiql-execute-button').click();
    // Monaco renders spaces as no-break spaces.
    const resultText = async () => (await page.locator('.result-window').innerText()).replace(/\u00a0/g, ' ');
    await expect.poll(resultText, { timeout: 15_000 }).toContain(`"id": "${DEMO.snapshotId}"`);
    const text = await resultText();
    expect(text).toContain('"status": "COMPLETED"');
    expect(text).toContain('"storageSizeBytes": 5368709120');
    mkdirSync(outputDir, { recursive: true });
    await page.screenshot({ path: join(outputDir, 'graphiql.png') });
    expect(external).toEqual([]); // GraphiQL came from this server, not from a CDN
  }, 60_000);
});
