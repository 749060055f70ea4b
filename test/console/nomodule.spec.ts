import { parse } from 'acorn';
import type { Page } from 'playwright-core';
import { startApp, type Harness } from '../support/app';
import { type ConsoleRig, describeInBrowser, shoot, startConsole } from './browser';

// Functions given to page.evaluate run in the browser, where this exists; the project compiles without
// the DOM library, so it is declared here for this file only (a declaration emits nothing).
declare const document: any;

jest.setTimeout(60_000);

const FALLBACK = '/console/js/nomodule.js';
/** What the fallback must tell a person stuck in a 360 browser's IE mode. */
const SAYS = [
  '当前浏览器无法使用本系统',
  'Chromium',
  '360 浏览器的极速模式',
  '新版 Microsoft Edge',
  'Google Chrome',
  '切换到“极速模式”',
];

/** Parses as the oldest browsers do: ES5, a classic script. Throws on anything newer. */
const parseAsEs5 = (source: string) => parse(source, { ecmaVersion: 5, sourceType: 'script' });

/**
 * A browser without ES modules (a 360 browser in IE-compatibility mode) skips main.js and would stay on
 * 正在加载… forever: index.html gives it a `nomodule` script, in ES5, that says which browsers work.
 */
describe('the console in a browser without ES modules', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApp();
  });
  afterAll(() => h.close());

  it('loads the fallback as a classic nomodule script, after the loading line it replaces', async () => {
    const page = (await h.request().get('/')).text;
    expect(page).toMatch(/<p id="loading" class="muted">正在加载…<\/p>/);
    expect(page).toContain(`<script nomodule src="${FALLBACK}"></script>`);
    // A classic script without defer runs where it stands: the loading line must already be there.
    expect(page.indexOf(FALLBACK)).toBeGreaterThan(page.indexOf('id="loading"'));
  });

  it('serves a fallback that parses as ES5 and names the browsers that work, in Chinese', async () => {
    const res = await h.request().get(FALLBACK);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(() => parseAsEs5(res.text)).not.toThrow();
    for (const words of SAYS) expect(res.text).toContain(words);
  });

  it('has an ES5 check that really refuses what IE cannot run', () => {
    for (const newer of ['var f = () => 1;', 'let a = 1;', 'const a = 1;', 'var s = `x`;', 'class A {}']) {
      expect(() => parseAsEs5(newer)).toThrow();
    }
  });
});

describeInBrowser('the nomodule fallback in Chromium', () => {
  let rig: ConsoleRig;
  beforeAll(async () => {
    rig = await startConsole();
  }, 60_000);
  afterAll(() => rig?.close());

  async function freshPage(): Promise<{ page: Page; requested: string[] }> {
    const context = await rig.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const requested: string[] = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    return { page, requested };
  }

  it('never shows (nor even fetches) the fallback where modules run', async () => {
    const { page, requested } = await freshPage();
    await page.goto(rig.base + '/');
    await page.getByLabel('用户名').waitFor();
    const text: string = await page.evaluate(() => document.body.innerText);
    expect(text).not.toContain('当前浏览器无法使用本系统');
    expect(requested).toContain('/console/js/main.js');
    expect(requested).not.toContain(FALLBACK);
    await page.context().close();
  });

  it('replaces 正在加载… with the message when the console script cannot run', async () => {
    const { page } = await freshPage();
    // As in a browser without modules: main.js never runs, and the fallback runs as a classic script.
    await page.route('**/console/js/main.js', (route) => route.abort());
    await page.goto(rig.base + '/');
    expect(await page.locator('#loading').innerText()).toBe('正在加载…');
    await page.addScriptTag({ url: FALLBACK });
    const said: string = await page.locator('#loading').innerText();
    for (const words of SAYS) expect(said).toContain(words);
    expect(await page.locator('#loading').getAttribute('class')).toBe('notice warn');
    expect(await page.locator('#menu-toggle').isVisible()).toBe(false);
    await shoot(page, 'nomodule-fallback', { fullPage: false });
    await page.context().close();
  });
});
