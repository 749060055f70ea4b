import type { Locator, Page } from 'playwright-core';
import { SEAL_PNG } from '../scans/files';
import { publishPlan2024 } from '../support/plan';
import { beyondRightEdge, expectAccessible, PHONE, settled, smallTouchTargets, visit } from './a11y';
import { type ConsoleRig, describeInBrowser, loginPage, shoot, startConsole } from './browser';
import { fileReport } from './seed';

// Functions given to page.evaluate run in the browser, where these exist; the project compiles without
// the DOM library, so they are declared here for this file only (a declaration emits nothing).
declare const document: any;
declare function getComputedStyle(el: unknown, pseudo?: string): any;

jest.setTimeout(60_000);

const PERIOD = '2024-03';
const TOUCH = { ...PHONE, touch: true };
const WIDTHS = [360, 414];

/**
 * A filler and a leader on a phone held upright (390 × 844, touch, mobile viewport): they fill, sign and
 * submit with taps, nothing lies beyond the right edge at 360 to 414 px, every control is at least 44 px,
 * and axe (WCAG 2 A/AA) finds nothing. Printing from the phone gives the office PC's A4 form.
 */
describeInBrowser('the web console on a phone', () => {
  let rig: ConsoleRig;

  beforeAll(async () => {
    rig = await startConsole();
    const { h } = rig;
    await publishPlan2024(h);
    const filler = await h.user('u01-filler', 'filler', 'U01');
    const leader = await h.user('u01-leader', 'leader', 'U01');
    const reviewer = await h.token('admin');
    // January and February accepted, so the months table has badges and the chart a line.
    for (const [period, training] of [
      ['2024-01', 900],
      ['2024-02', 1100],
    ] as const) {
      const figures = { training, certified: 700, advanced: 100, onePlusX: 90 };
      await fileReport(h, 'U01', period, figures, { filler, leader, reviewer });
    }
  }, 90_000);
  afterAll(() => rig?.close());

  const reportOf = async (period: string) =>
    (await rig.h.as(await rig.h.token('admin')).get(`/api/v1/units/U01/reports/${period}`)).body;

  /** Nothing beyond the right edge and no control under 44 px, at 390 px and at 360 and 414 px. */
  async function fitsEveryPhone(page: Page, label: string) {
    for (const width of [...WIDTHS, PHONE.width]) {
      await page.setViewportSize({ width, height: PHONE.height });
      const where = `${label} at ${width} px`;
      expect({ where, beyond: await beyondRightEdge(page) }).toEqual({ where, beyond: [] });
      expect({ where, small: await smallTouchTargets(page) }).toEqual({ where, small: [] });
    }
  }

  async function type(page: Page, target: Locator, text: string) {
    await target.tap();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(text);
  }

  it('lets a filler fill in the month as one card per metric, save and sign, all by touch', async () => {
    const page = await loginPage(rig, 'u01-filler', 'u01-filler-password', TOUCH);
    await settled(page);
    await page.getByTestId('save').waitFor();
    await fitsEveryPhone(page, 'the filler’s empty month');
    await expectAccessible(page, 'the filler’s empty month at 390 px');

    // One card per metric: the four rows stack, each cell carrying its column's heading.
    const rows = await page
      .locator('table.annex2 tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => tr.getBoundingClientRect().toJSON() as { top: number; bottom: number }),
      );
    expect(rows).toHaveLength(4);
    rows.slice(1).forEach((row, i) => expect(row.top).toBeGreaterThanOrEqual(rows[i].bottom));
    const heading = await page
      .locator('[data-cumulative=training]')
      .evaluate((td) => getComputedStyle(td, '::before').content);
    expect(heading).toBe('"累计已完成"');

    await type(page, page.locator('input[name=training]'), '1850');
    await type(page, page.locator('input[name=certified]'), '1500');
    await type(page, page.locator('input[name=advanced]'), '420');
    await type(page, page.locator('input[name=onePlusX]'), '1600');
    await page.locator('[data-cumulative=training]').filter({ hasText: '3,850' }).waitFor();
    // The warning sits under its own field, and the field says so to a screen reader.
    const onePlusX = page.locator('input[name=onePlusX]');
    const hint = page.locator(`#${await onePlusX.getAttribute('aria-describedby')}`);
    await hint.filter({ hasText: '备注中说明' }).waitFor();
    await expectAccessible(page, 'the filler’s month with a warning at 390 px');

    await page.getByTestId('save').tap();
    await page.locator('.notice.ok').filter({ hasText: '已保存' }).waitFor();
    await type(page, page.getByLabel('填报人姓名'), '张敏');
    await type(page, page.getByLabel('联系电话'), '13803710000');
    await fitsEveryPhone(page, 'the filler’s saved month, ready to sign');
    await shoot(page, 'phone-filler');
    await page.getByTestId('sign').tap();
    await page.getByTestId('status').filter({ hasText: '填报人已签字' }).waitFor();
    await fitsEveryPhone(page, 'the filler’s signed month');
    expect(await reportOf(PERIOD)).toMatchObject({
      status: 'signed-by-filler',
      figures: { training: 1850, certified: 1500, advanced: 420, onePlusX: 1600 },
    });
    await page.context().close();
  });

  it('lets the leader read the figures and warnings and sign on the phone, without zooming or scrolling sideways', async () => {
    const page = await loginPage(rig, 'u01-leader', 'u01-leader-password', TOUCH);
    await settled(page);
    await page.getByTestId('waiting').filter({ hasText: '3 月' }).waitFor();
    await page.getByTestId('warnings').waitFor();
    await fitsEveryPhone(page, 'the leader’s page');
    await expectAccessible(page, 'the leader’s page at 390 px');
    // Phones zoom into inputs under 16 px when they get focus; these do not.
    const size = await page.getByLabel('组长姓名').evaluate((el) => getComputedStyle(el).fontSize);
    expect(parseFloat(size)).toBeGreaterThanOrEqual(16);
    await type(page, page.getByLabel('组长姓名'), '李建国');
    await shoot(page, 'phone-leader');
    await page.getByTestId('leader-sign').tap();
    await page.locator('.notice.ok').filter({ hasText: '已提交审核' }).waitFor();
    expect((await reportOf(PERIOD)).status).toBe('submitted');
    await fitsEveryPhone(page, 'the leader’s page after signing');
    await page.context().close();
  });

  it('lets the filler send the sealed form from the phone: a photo picked, previewed and uploaded by touch', async () => {
    const page = await loginPage(rig, 'u01-filler', 'u01-filler-password', TOUCH);
    await settled(page);
    await page.getByTestId('scan-uploader').waitFor();
    await fitsEveryPhone(page, 'the filler’s upload card');
    await expectAccessible(page, 'the filler’s upload card at 390 px');
    // On a phone 选择文件… opens the camera or the gallery; here the photo is handed to that chooser.
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: '选择文件…' }).tap();
    await (await chooser).setFiles({ name: '盖章月报.png', mimeType: 'image/png', buffer: SEAL_PNG });
    await page.getByTestId('scan-uploader').getByTestId('scan-preview').waitFor();
    await fitsEveryPhone(page, 'the chosen photo, previewed');
    await page.getByTestId('scan-upload').tap();
    await page.locator('.notice.ok').filter({ hasText: '扫描件已上传' }).waitFor();
    await page.getByTestId('scan-card').getByTestId('scan-preview').waitFor();
    await fitsEveryPhone(page, 'the uploaded scan');
    await expectAccessible(page, 'the uploaded scan at 390 px');
    expect((await reportOf(PERIOD)).scan).toMatchObject({ contentType: 'image/png' });
    await page.context().close();
  });

  it('shows a filler the return reason on the phone, with the form open again to correct', async () => {
    const admin = rig.h.as(await rig.h.token('admin'));
    const current = await admin.get(`/api/v1/units/U01/reports/${PERIOD}`);
    const returned = await admin
      .post(`/api/v1/units/U01/reports/${PERIOD}/review`)
      .set('If-Match', current.headers.etag)
      .send({ decision: 'return', reason: '培训人次与技能人才平台数据不一致，请核对后重新报送' });
    expect(returned.status).toBe(200);
    const page = await loginPage(rig, 'u01-filler', 'u01-filler-password', TOUCH);
    await settled(page);
    await page.getByTestId('return-reason').filter({ hasText: '平台数据不一致' }).waitFor();
    await page.getByTestId('save').waitFor();
    await fitsEveryPhone(page, 'the filler’s returned month');
    await expectAccessible(page, 'the filler’s returned month at 390 px');
    await page.context().close();
  });

  it('has a login screen that fits the phone and passes axe', async () => {
    const context = await rig.browser.newContext({
      viewport: PHONE,
      hasTouch: true,
      isMobile: true,
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    await page.goto(`${rig.base}/`);
    await page.getByLabel('用户名').waitFor();
    await fitsEveryPhone(page, 'the login screen');
    await expectAccessible(page, 'the login screen at 390 px');
    await context.close();
  });

  it('folds the top bar into a menu button that opens by touch and by keyboard and closes with Escape', async () => {
    const page = await loginPage(rig, 'u01-filler', 'u01-filler-password', TOUCH);
    await settled(page);
    const toggle = page.getByRole('button', { name: '菜单' });
    const link = page.getByRole('link', { name: '本单位月报' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await link.isVisible()).toBe(false);
    await toggle.tap();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await link.waitFor();
    await page.getByTestId('identity').waitFor();
    expect(await beyondRightEdge(page)).toEqual([]);
    await expectAccessible(page, 'the open menu at 390 px');
    await shoot(page, 'phone-menu', { fullPage: false });
    await page.keyboard.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);
    // By keyboard: Enter opens it, Tab reaches the pages, Enter follows one and the menu closes.
    await page.keyboard.press('Enter');
    await link.waitFor();
    await page.keyboard.press('Tab');
    expect(await link.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await settled(page);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.tap();
    await page.getByRole('button', { name: '退出' }).tap();
    await page.getByLabel('用户名').waitFor();
    expect(await toggle.isVisible()).toBe(false);
    await page.context().close();
  });

  it('prints the same A4 Annex 2 form from a phone as from the office PC', async () => {
    const layouts: string[][] = [];
    for (const device of [TOUCH, undefined]) {
      const page = await loginPage(rig, 'u01-filler', 'u01-filler-password', device);
      await visit(page, `${rig.base}/#/report?period=2024-02`);
      await page.getByTestId('leader-signature').waitFor();
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.topbar').isVisible()).toBe(false);
      expect(await page.locator('table.annex2 thead').evaluate((el) => getComputedStyle(el).display)).toBe(
        'table-header-group',
      );
      layouts.push(await printLayout(page));
      await page.context().close();
    }
    expect(layouts[0].length).toBeGreaterThan(40);
    expect(layouts[0]).toEqual(layouts[1]);
  });
});

/** How every element of the form is laid out in print, without widths (the screens differ, paper does not). */
function printLayout(page: Page): Promise<string[]> {
  return page.locator('.form-sheet').evaluate((sheet) =>
    [sheet, ...Array.from(sheet.querySelectorAll('*'))].map((el) => {
      const s = getComputedStyle(el);
      const props = [
        s.display,
        s.fontSize,
        s.fontWeight,
        s.textAlign,
        s.borderTopWidth,
        s.padding,
        s.visibility,
      ];
      return `${el.tagName.toLowerCase()}.${el.className} ${props.join(' ')}`;
    }),
  );
}
