import { publishPlan2024 } from '../support/plan';
import { type ConsoleRig, describeInBrowser, loginPage, shoot, startConsole } from './browser';
import { seedEarlyMonths } from './seed';

const PERIOD = '2024-03';
jest.setTimeout(30_000);

describeInBrowser('the web console, in a real browser', () => {
  let rig: ConsoleRig;
  beforeAll(async () => {
    rig = await startConsole();
    await publishPlan2024(rig.h);
    await rig.h.user('u01-filler', 'filler', 'U01');
    await rig.h.user('u01-leader', 'leader', 'U01');
    await seedEarlyMonths(rig.h, [
      { code: 'R01', annual: 80600 },
      { code: 'R03', annual: 26700 },
      { code: 'R05', annual: 13100 },
      { code: 'R10', annual: 16100 },
    ]);
  }, 60_000);
  afterAll(() => rig?.close());

  const reportOf = async (unit: string, period: string) =>
    (await rig.h.as(await rig.h.token('admin')).get(`/api/v1/units/${unit}/reports/${period}`)).body;

  it('lets a filler fill in the month with live cumulative figures, save and sign', async () => {
    const page = await loginPage(rig, 'u01-filler', 'u01-filler-password');
    await page.getByTestId('save').waitFor();
    await page.locator('input[name=training]').fill('1850');
    await page.locator('input[name=certified]').fill('1500');
    await page.locator('input[name=advanced]').fill('1600');
    await page.locator('input[name=onePlusX]').fill('260');
    // Typed, not saved: the cumulative column and the warning follow the keyboard.
    await expectText(page.locator('[data-cumulative=training]'), '1,850');
    await expectText(page.locator('td:has(input[name=advanced]) .hint'), '不能大于');
    await page.locator('input[name=advanced]').fill('420');
    await page.getByTestId('save').click();
    await expectText(page.locator('.notice.ok'), '已保存');
    await page.getByLabel('填报人姓名').fill('张敏');
    await page.getByLabel('联系电话').fill('0371-69691788');
    await shoot(page, 'filler');
    await page.getByTestId('sign').click();
    await expectText(page.getByTestId('status'), '填报人已签字');
    await expectText(page.getByTestId('filler-signature'), '张敏');
    const report = await reportOf('U01', PERIOD);
    expect(report).toMatchObject({
      status: 'signed-by-filler',
      figures: { training: 1850, certified: 1500, advanced: 420, onePlusX: 260 },
    });
    await page.context().close();
  });

  it('lets the leader see what waits for a signature, and sign it', async () => {
    const page = await loginPage(rig, 'u01-leader', 'u01-leader-password');
    await expectText(page.getByTestId('waiting'), '3 月');
    await page.getByLabel('组长姓名').fill('李建国');
    await shoot(page, 'leader');
    await page.getByTestId('leader-sign').click();
    await expectText(page.locator('.notice.ok'), '已提交审核');
    expect((await reportOf('U01', PERIOD)).status).toBe('submitted');
    await page.context().close();
  });

  it('lets the province accept the report, and the dashboard then shows its figures', async () => {
    const page = await loginPage(rig, 'admin', 'admin-password-1');
    await page.goto(`${rig.base}/#/review?period=${PERIOD}&unit=U01`);
    await page.getByTestId('review-accept').click();
    await expectText(page.locator('.notice.ok'), '已通过');
    expect((await reportOf('U01', PERIOD)).status).toBe('accepted');
    await shoot(page, 'review');

    // The dashboard's figures come from the worker's read model. The console asks for at least the
    // position of its last command (the acceptance), so the first look already shows it: no polling.
    const row = page.locator('[data-testid=progress-table] tr[data-unit=U01]');
    const progressRead = page.waitForRequest((r) => /\/progress\?.*minPosition=\d+/.test(r.url()));
    await page.goto(`${rig.base}/#/dashboard?period=${PERIOD}&metric=training`);
    await progressRead;
    await row.waitFor();
    expect(await row.innerText()).toContain('1,850');
    expect(await row.innerText()).toContain('已审核通过');
    await expectText(page.getByTestId('total-month'), '1,850');
    expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(2);
    await shoot(page, 'dashboard', { fullPage: false });
    await page.context().close();
  });

  it('tells a stale page that someone else changed the report, and reloads it', async () => {
    const page = await loginPage(rig, 'u01-filler', 'u01-filler-password');
    await page.goto(`${rig.base}/#/report?period=2024-02`);
    await page.locator('input[name=training]').waitFor();
    // Someone else saves February while this page is open.
    const token = await rig.h.login('u01-filler', 'u01-filler-password');
    const other = await rig.h
      .as(token)
      .put('/api/v1/units/U01/reports/2024-02')
      .set('If-Match', '"0"')
      .send({ figures: { training: 500, certified: 400, advanced: 100, onePlusX: 50 } });
    expect(other.status).toBe(200);
    await page.locator('input[name=training]').fill('700');
    await page.locator('input[name=certified]').fill('600');
    await page.locator('input[name=advanced]').fill('100');
    await page.locator('input[name=onePlusX]').fill('60');
    await page.getByTestId('save').click();
    await expectText(page.locator('.notice.warn'), '已被其他人');
    // Reloaded: the page now shows what the other person saved, and nothing of ours was recorded.
    await page.locator('input[name=training][value="500"]').waitFor();
    expect((await reportOf('U01', '2024-02')).figures.training).toBe(500);
    await shoot(page, 'conflict');

    // The accepted March form, as it prints: the Annex 2 sheet with both signatures, no buttons or inputs.
    await page.goto(`${rig.base}/#/report?period=${PERIOD}`);
    await expectText(page.getByTestId('leader-signature'), '李建国');
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: '打印本表' }).isVisible()).toBe(false);
    await shoot(page, 'print-form');
    await page.context().close();
  });
});

async function expectText(locator: import('playwright-core').Locator, text: string) {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
}
