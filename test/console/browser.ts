import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ProjectionRunner } from '../../libs/event-store/src';
import { ASYNC_PROJECTIONS } from '../../libs/application/src/read-models/registry';
import { startApp, type Harness } from '../support/app';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const ARTIFACTS = join(__dirname, '../../test-artifacts/console');
const DOC_SHOTS = join(__dirname, '../../docs/screenshots');

/** `describe` when Debian's Chromium is installed, a loud skip otherwise. */
export const describeInBrowser: jest.Describe = hasChromium
  ? describe
  : (((name: string, fn: () => void) => {
      console.warn(
        `SKIPPED browser tests "${name}": ${CHROMIUM} not found. Install it with ` +
          '`apt-get update && apt-get install -y chromium` (.ci/run does this).',
      );
      return describe.skip(name, fn);
    }) as jest.Describe);

export interface ConsoleRig {
  h: Harness;
  browser: Browser;
  base: string;
  close(): Promise<void>;
}

/**
 * The API in-process on a real port, a headless Chromium, and a stand-in for the worker that keeps the
 * async read models (the dashboard's figures) caught up, as a running worker would.
 */
export async function startConsole(options: { now?: string } = {}): Promise<ConsoleRig> {
  const { chromium } = await import('playwright-core');
  // Playwright gives every launch a fresh, empty profile directory of its own (the --user-data-dir).
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const h = await startApp(options).catch(async (error) => {
    await browser.close();
    throw error;
  });
  await h.app.listen(0, '127.0.0.1');
  const { port } = h.app.getHttpServer().address() as AddressInfo;
  const runner = new ProjectionRunner(h.db, ASYNC_PROJECTIONS, () => h.clock.now());
  let running = true;
  const worker = (async () => {
    while (running) {
      await runner.catchUp().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  return {
    h,
    browser,
    base: `http://127.0.0.1:${port}`,
    async close() {
      running = false;
      await worker;
      await browser.close();
      await h.close();
    },
  };
}

/** The office screen the console is built for, or a phone held upright (touch, mobile viewport). */
export type Device = { width: number; height: number; touch?: boolean };
export const DESK: Device = { width: 1366, height: 768 };

/** A fresh page (its own sessionStorage) logged in through the login screen. */
export async function loginPage(
  rig: ConsoleRig,
  username: string,
  password: string,
  device: Device = DESK,
): Promise<Page> {
  const context = await rig.browser.newContext({
    viewport: { width: device.width, height: device.height },
    hasTouch: !!device.touch,
    isMobile: !!device.touch,
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => console.error(`browser page error: ${error.message}`));
  await page.goto(rig.base + '/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  // On a phone the identity sits in the collapsed menu: there, not necessarily visible.
  await page.getByTestId('identity').waitFor({ state: 'attached' });
  return page;
}

/** Keeps a full-page screenshot as a test artefact; with CONSOLE_DOC_SHOTS=1 also refreshes the docs' copy. */
export async function shoot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  // From the top, so the sticky title bar sits where a person sees it.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
  if (process.env.CONSOLE_DOC_SHOTS === '1') {
    mkdirSync(DOC_SHOTS, { recursive: true });
    copyFileSync(file, join(DOC_SHOTS, `console-${name}.png`));
  }
}
