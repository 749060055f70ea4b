import type { Locator, Page } from 'playwright-core';
import { deadlineOf, deadlineWording } from '../../libs/domain/src';
import { reportUrl } from '../reports/report-steps';
import { beyondRightEdge, expectAccessible, PHONE, smallTouchTargets, visit } from './a11y';
import { type ConsoleRig, describeInBrowser, loginPage, shoot, startConsole } from './browser';
import { S1_JAN, S2_JAN, seedRegionYear } from './year-seed';

// Functions given to page.evaluate run in the browser, where this exists (the project compiles without DOM).
declare const document: any;

jest.setTimeout(60_000);

const METRICS = ['training', 'certified', 'advanced', 'onePlusX'] as const;
const SUM = Object.fromEntries(METRICS.map((m) => [m, S1_JAN[m] + S2_JAN[m]]));

/**
 * A region's own monthly form (issue 14, item 6): beside each figure its schools' official sums, and one
 * click that copies them into the region's inputs. The region still saves and signs its own figures.
 */
describeInBrowser('a region fills its own form beside its schools’ official sums', () => {
  let rig: ConsoleRig;
  let regionFiller: string;

  beforeAll(async () => {
    rig = await startConsole();
    await seedRegionYear(rig.h);
    regionFiller = await rig.h.user('r18-filler', 'filler', 'R18');
    rig.h.clock.set('2024-02-10T02:00:00.000Z');
  }, 120_000);
  afterAll(() => rig?.close());

  const report = async (period: string) => (await rig.h.as(regionFiller).get(reportUrl('R18', period))).body;
  const expectText = (locator: Locator, text: string) => locator.filter({ hasText: text }).first().waitFor();

  it('shows the schools’ sums beside each figure, and copying fills the inputs without saving anything', async () => {
    const page = await loginPage(rig, 'r18-filler', 'r18-filler-password');
    await visit(page, `${rig.base}/#/report?period=2024-01`);
    for (const m of METRICS) {
      expect(await page.locator(`[data-schools=${m}]`).innerText()).toContain(String(SUM[m]));
    }
    await expectText(page.locator('table.annex2 thead'), '所属学校合计');
    // The deadline in the words the reminder e-mails and digests use (issue 14, item 5).
    await expectText(page.locator('.form-meta'), `截止：${deadlineWording(deadlineOf('2024-01'))}`);

    // Keyboard order: the four figures, then the copy button that fills them.
    await page.locator('input[name=onePlusX]').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('采用学校合计');
    await page.keyboard.press('Enter');
    for (const m of METRICS) expect(await page.locator(`input[name=${m}]`).inputValue()).toBe(String(SUM[m]));
    await expectText(page.locator('[data-cumulative=training]'), String(SUM.training));
    await expectText(page.getByTestId('schools-sum-copy'), '尚未保存');
    // Copying recorded nothing: the region has not saved, let alone signed.
    expect(await report('2024-01')).toMatchObject({ status: 'not-started', figures: null, version: 0 });
    await expectAccessible(page, 'the region’s form after copying');
    await shoot(page, 'region-form');

    await page.getByTestId('save').click();
    await expectText(page.locator('.notice.ok'), '已保存');
    expect(await report('2024-01')).toMatchObject({ status: 'draft', figures: SUM });
    // Now equal, the region's figures no longer carry the “differs” word.
    expect(await page.locator('[data-schools=training] .hint').innerText()).toBe('');
    await page.context().close();
  });

  it('says where the region’s own figure differs from its schools’ sum, as it types', async () => {
    const page = await loginPage(rig, 'r18-filler', 'r18-filler-password');
    await visit(page, `${rig.base}/#/report?period=2024-01`);
    await page.locator('input[name=training]').fill('150');
    await expectText(page.locator('[data-schools=training] .hint'), '与本级填报数不同');
    expect(await page.locator('[data-schools=certified] .hint').innerText()).toBe('');
    await page.context().close();
  });

  it('works on a phone: the sum sits in each metric’s card and the copy is one tap', async () => {
    const page = await loginPage(rig, 'r18-filler', 'r18-filler-password', { ...PHONE, touch: true });
    // February: the schools have nothing official yet, so the sums are 0 and the copy fills zeros.
    await visit(page, `${rig.base}/#/report?period=2024-02`);
    await fitsPhones(page);
    await expectAccessible(page, 'the region’s form at 390 px');
    await page.getByRole('button', { name: '采用学校合计' }).tap();
    expect(await page.locator('input[name=training]').inputValue()).toBe('0');
    expect((await report('2024-02')).status).toBe('not-started');
    await shoot(page, 'region-form-phone');
    await page.context().close();
  });

  /** No sideways scrolling and no control under 44 px, from 360 to 414 px. */
  async function fitsPhones(page: Page) {
    for (const width of [360, 390, 414]) {
      await page.setViewportSize({ width, height: PHONE.height });
      const where = `region form at ${width} px`;
      expect({ where, beyond: await beyondRightEdge(page) }).toEqual({ where, beyond: [] });
      expect({ where, small: await smallTouchTargets(page) }).toEqual({ where, small: [] });
    }
  }
});
