import type { Page } from 'playwright-core';
import { publishPlan2024, registerSchool } from '../support/plan';
import { type ConsoleRig, describeInBrowser, loginPage, shoot, startConsole } from './browser';
import { fileReport } from './seed';

jest.setTimeout(30_000);

const FIGURES = { training: 300, certified: 200, advanced: 0, onePlusX: 20 };

describeInBrowser('the web console for bureaus, the province and auditors', () => {
  let rig: ConsoleRig;
  const api = (token: string) => rig.h.as(token);

  beforeAll(async () => {
    rig = await startConsole();
    const { h } = rig;
    await publishPlan2024(h);
    await registerSchool(h, 'R18-S1', 'R18', '济源职业中专');
    await registerSchool(h, 'R18-S2', 'R18', '济源高级技工学校');
    await h.user('jy-op', 'region-operator', 'R18');
    await h.user('auditor', 'auditor', 'province');
    const schoolFiller = await h.user('s1-filler', 'filler', 'R18-S1');
    const schoolLeader = await h.user('s1-leader', 'leader', 'R18-S1');
    await fileReport(h, 'R18-S1', '2024-03', FIGURES, { filler: schoolFiller, leader: schoolLeader });
    const filler = await h.user('u02-filler', 'filler', 'U02');
    const leader = await h.user('u02-leader', 'leader', 'U02');
    const accepted = await fileReport(h, 'U02', '2024-02', FIGURES, {
      filler,
      leader,
      reviewer: await h.token('admin'),
    });
    h.clock.advance(3600_000); // an hour later, so "as it stood after acceptance" is a different instant
    await api(filler)
      .post('/api/v1/units/U02/reports/2024-02/amendments')
      .set('If-Match', accepted.headers.etag)
      .send({ figures: { ...FIGURES, training: 450 }, reason: '补录漏报的校外培训' });
  }, 60_000);
  afterAll(() => rig?.close());

  it('lets a region operator split its task with the remaining figures in view, and publish', async () => {
    const page = await loginPage(rig, 'jy-op', 'jy-op-password');
    const row = (code: string) => page.locator(`tr[data-school="${code}"]`);
    await row('R18-S1').locator('input[name=training]').fill('1000');
    await row('R18-S1').locator('input[name=certified]').fill('700');
    await row('R18-S1').locator('input[name=onePlusX]').fill('110');
    await text(page.locator('[data-metric=training]'), '剩余 470');
    await row('R18-S2').locator('input[name=training]').fill('470');
    await row('R18-S2').locator('input[name=certified]').fill('500');
    await row('R18-S2').locator('input[name=onePlusX]').fill('100');
    await text(page.locator('[data-metric=onePlusX]'), '剩余 0');
    await page.getByTestId('save-shares').click();
    await text(page.locator('.notice.ok'), '已保存 2 所学校');
    await shoot(page, 'allocation');
    await page.getByTestId('publish').click();
    await text(page.locator('.notice.ok'), '已下达');
    await page.getByLabel('数量').fill('50');
    await page.getByLabel('调剂原因').fill('二校扩招');
    await page.getByRole('button', { name: '调剂' }).click();
    await text(page.locator('.notice.ok'), '已从 R18-S1 调剂 50');
    const allocation = await api(await rig.h.token('admin')).get('/api/v1/plans/2024/regions/R18/allocation');
    expect(allocation.body.status).toBe('published');
    expect(allocation.body.schools.find((s: any) => s.code === 'R18-S2').quota.training).toBe(520);
    await page.context().close();
  });

  it("lets the region operator return a school's report with a reason, which the school then sees", async () => {
    const page = await loginPage(rig, 'jy-op', 'jy-op-password');
    await page.goto(`${rig.base}/#/review?period=2024-03&unit=R18-S1`);
    await page.getByTestId('review-return').click();
    await text(page.locator('label:has(textarea[name=reason]) .hint.error'), '请填写退回原因');
    await page.getByLabel('审核意见').fill('培训人次与平台数据不一致，请核对');
    await page.getByTestId('review-return').click();
    await text(page.locator('.notice.ok'), '已退回');
    await shoot(page, 'region-review');
    await page.goto(`${rig.base}/#/late?period=2024-03`);
    await text(page.getByTestId('timeliness-counts'), '未到期未报');
    await shoot(page, 'region-timeliness');
    await page.context().close();

    const school = await loginPage(rig, 's1-filler', 's1-filler-password');
    await text(school.getByTestId('return-reason'), '培训人次与平台数据不一致');
    await school.context().close();
  });

  it('shows the province every bad row of a plan file, and nothing is imported', async () => {
    const page = await loginPage(rig, 'admin', 'admin-password-1');
    await page.goto(`${rig.base}/#/import`);
    const csv = [
      'code,name,kind,training,certified,advanced,onePlusX',
      'R01,郑州市,region,abc,100,—,10',
      'U01,某大学,undergraduate,100,50,80,5',
      'X1,,nowhere,1,1,—,1',
    ].join('\n');
    await page.getByLabel('计划年度').fill('2025');
    await page
      .locator('input[type=file]')
      .first()
      .setInputFiles({ name: 'plan-2025.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-plan').click();
    await page.getByTestId('bad-rows').waitFor();
    const rows = await page.locator('[data-testid=bad-rows] tbody tr').allInnerTexts();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.join('\n')).toMatch(/第 2 行/);
    expect(rows.join('\n')).toMatch(/第 4 行/);
    await shoot(page, 'import');
    expect((await api(await rig.h.token('admin')).get('/api/v1/plans/2025')).status).toBe(404);
    await page.goto(`${rig.base}/#/users`);
    await text(page.getByTestId('users'), 'jy-op');
    await shoot(page, 'users');
    await page.context().close();
  });

  it("shows an auditor a report's history, its revisions side by side, its state at an instant and the ledger check", async () => {
    const page = await loginPage(rig, 'auditor', 'auditor-password');
    await page.goto(`${rig.base}/#/history?unit=U02&period=2024-02`);
    await text(page.getByTestId('history'), '提出修改（新版本）');
    await text(page.getByTestId('diff'), '补录漏报的校外培训');
    await text(page.getByTestId('diff'), '+150');
    const accepted = await api(await rig.h.token('admin')).get('/api/v1/units/U02/reports/2024-02/history');
    const acceptedAt = accepted.body.find((e: any) => e.type === 'ReportAccepted').recordedAt;
    const local = new Date(Date.parse(acceptedAt) + 8 * 3600_000).toISOString().slice(0, 19);
    await page.goto(`${rig.base}/#/history?unit=U02&period=2024-02&asOf=${local}`);
    await text(page.getByTestId('as-of').getByTestId('status'), '已审核通过');
    await shoot(page, 'auditor-history');
    await page.goto(`${rig.base}/#/ledger`);
    await page.getByTestId('verify').click();
    await text(page.getByTestId('verification'), '校验通过');
    await shoot(page, 'auditor-ledger');
    await page.context().close();
  });
});

async function text(locator: ReturnType<Page['locator']>, expected: string) {
  await locator.filter({ hasText: expected }).first().waitFor({ timeout: 10_000 });
}
