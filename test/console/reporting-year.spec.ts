import type { Locator, Page } from 'playwright-core';
import { eventCount, reportUrl } from '../reports/report-steps';
import { registerSchool } from '../support/plan';
import { expectAccessible, visit } from './a11y';
import { type ConsoleRig, describeInBrowser, loginPage, shoot, startConsole } from './browser';
import { seedRegionYear, SPLIT_URL } from './year-seed';

jest.setTimeout(60_000);

const S1_FEB = { training: 200, certified: 120, advanced: 0, onePlusX: 20 };
const S1_MAR = { training: 150, certified: 100, advanced: 0, onePlusX: 15 };

/**
 * Issue 14 in the console, as a region operator, a school and the province would see it: 不需报送 for a
 * school that owes nothing, a published split changed with a reason, the note under a signed form whose
 * task changed since, the months a cumulative leaves out, and a closed year that can only be looked at.
 */
describeInBrowser('a reporting year in the console', () => {
  let rig: ConsoleRig;
  let seeded: Awaited<ReturnType<typeof seedRegionYear>>;

  beforeAll(async () => {
    rig = await startConsole();
    const { h } = rig;
    seeded = await seedRegionYear(h);
    const { s1, steps } = seeded;
    // February signed by both and waiting for review; March signed by the filler only.
    h.clock.set('2024-02-20T02:00:00.000Z');
    await steps.enter(s1.filler, 'R18-S1', '2024-02', S1_FEB);
    await steps.sign(s1.filler, 'R18-S1', '2024-02', '张三', '0391-6632001');
    await steps.sign(s1.leader, 'R18-S1', '2024-02', '李四');
    h.clock.set('2024-03-05T02:00:00.000Z');
    await steps.enter(s1.filler, 'R18-S1', '2024-03', S1_MAR);
    await steps.sign(s1.filler, 'R18-S1', '2024-03', '张三', '0391-6632001');
    // A school opened in March, with no share yet: it owes nothing.
    await registerSchool(h, 'R18-S3', 'R18', '济源市新区职业学校');
    await h.user('r18-s3-filler', 'filler', 'R18-S3');
  }, 120_000);
  afterAll(() => rig?.close());

  const as = (user: string) => loginPage(rig, user, `${user}-password`);
  const expectText = (locator: Locator, text: string) => locator.filter({ hasText: text }).first().waitFor();
  const split = async () => (await rig.h.as(seeded.operator).get(SPLIT_URL)).body;

  it('shows 不需报送 for a school with no share, in the region’s timeliness and in the school’s months', async () => {
    const page = await as('r18-op');
    await visit(page, `${rig.base}/#/late?period=2024-03`);
    const counts = page.getByTestId('timeliness-counts');
    await expectText(counts.locator('.stat', { hasText: '不需报送' }), '1');
    await expectText(page.locator('tr', { hasText: '济源市新区职业学校' }), '不需报送');
    await expectAccessible(page, 'the region’s timeliness with a school not owing');
    await shoot(page, 'year-not-owed');
    await page.context().close();

    const school = await as('r18-s3-filler');
    const months = school.getByRole('table', { name: '各月报送情况' });
    await months.waitFor();
    for (const month of ['2024 年 1 月', '2024 年 2 月', '2024 年 3 月'])
      await expectText(months.locator('tr', { hasText: month }), '不需报送');
    await school.context().close();
  });

  it('changes a published share only with a reason, and gives the new school a share', async () => {
    const page = await as('r18-op');
    await visit(page, `${rig.base}/#/allocation`);
    const form = page.locator('.card', { hasText: '修改已下达的任务' });
    await form.getByLabel('学校', { exact: true }).selectOption('R18-S2');
    await form.getByLabel('培训人次').fill('270');
    const before = await split();
    const events = await eventCount(rig.h);
    await page.getByTestId('change-share').click();
    await expectText(form.locator('.hint.error'), '请填写修改原因');
    expect(await eventCount(rig.h)).toBe(events);
    expect((await split()).version).toBe(before.version);

    await form.getByLabel('修改原因').fill('调出部分任务给新校');
    await page.getByTestId('change-share').click();
    await expectText(page.locator('.notice.ok'), '已修改 R18-S2');
    await expectText(page.locator('[data-testid=remaining] [data-metric=training]'), '剩余 200');

    await form.getByLabel('学校', { exact: true }).selectOption('R18-S3');
    await form.getByLabel('培训人次').fill('200');
    await form.getByLabel('修改原因').fill('新校开办');
    await page.getByTestId('change-share').click();
    await expectText(page.locator('.notice.ok'), '已修改 R18-S3');
    await expectText(page.locator('[data-testid=remaining] [data-metric=training]'), '剩余 0');
    const after = await split();
    expect(after.schools.find((s: any) => s.code === 'R18-S3').quota.training).toBe(200);
    expect(after.remaining.training).toBe(0);
    await shoot(page, 'year-living-split');

    // The school now holds a share: from March it owes its report.
    await visit(page, `${rig.base}/#/late?period=2024-03`);
    await expectText(page.locator('tr', { hasText: '济源市新区职业学校' }), '未到期');
    await page.context().close();
  });

  it('says beneath a signed form that the task changed since, and which months the cumulative leaves out', async () => {
    // The region moves 100 of R18-S1's training to the new school after February was signed.
    const moved = await rig.h
      .as(seeded.operator)
      .post(`${SPLIT_URL}/transfers`)
      .set('If-Match', `"${(await split()).version}"`)
      .send({ from: 'R18-S1', to: 'R18-S3', metric: 'training', amount: 100, reason: '新校开办' });
    expect(moved.status).toBe(200);
    const feb = (await rig.h.as(seeded.s1.filler).get(reportUrl('R18-S1', '2024-02'))).body;
    expect([feb.signedForm.annual.training, feb.annual.training]).toEqual([1000, 900]);

    const page = await as('r18-s1-filler');
    await visit(page, `${rig.base}/#/report?period=2024-02`);
    await expectText(page.getByTestId('warnings'), '签字后年度任务已调整');
    expect(
      await page.locator('table.annex2 tr', { hasText: '培训任务' }).locator('td.annual').innerText(),
    ).toBe('900');
    await shoot(page, 'year-signed-form-note');

    await visit(page, `${rig.base}/#/report?period=2024-03`);
    await expectText(page.getByTestId('warnings'), '累计数未含 2月 的数据');
    // January only (100) plus March as entered (150): February's 200 waits for review.
    await expectText(page.locator('[data-cumulative=training]'), '250');
    await expectAccessible(page, 'March with February pending');
    await shoot(page, 'year-pending-earlier');
    await page.context().close();
  });

  it('shows a closed year read-only: a notice, and no editing, signing, review or split controls', async () => {
    const admin = await rig.h.token('admin');
    const plan = await rig.h.as(admin).get('/api/v1/plans/2024');
    const closed = await rig.h
      .as(admin)
      .post('/api/v1/plans/2024/close')
      .set('If-Match', plan.headers.etag)
      .send({ reason: '年度报送结束' });
    expect(closed.status).toBe(200);

    const filler = await as('r18-s1-filler');
    await visit(filler, `${rig.base}/#/report?period=2024-03`);
    await expectClosed(filler);
    expect(await filler.locator('input.figure').count()).toBe(0);
    expect(await filler.getByRole('button', { name: '打印本表' }).isVisible()).toBe(true);
    await expectAccessible(filler, 'a closed year, the filler');
    await shoot(filler, 'year-closed');
    await filler.context().close();

    const leader = await as('r18-s1-leader');
    await visit(leader, `${rig.base}/#/sign?period=2024-03`);
    await expectClosed(leader);
    await expectText(leader.locator('.notice.info'), '本年度已关闭，不能签字');
    await leader.context().close();

    const operator = await as('r18-op');
    await visit(operator, `${rig.base}/#/allocation`);
    await expectClosed(operator);
    expect(await operator.locator('input.figure').count()).toBe(0);
    await visit(operator, `${rig.base}/#/review?period=2024-02&unit=R18-S1`);
    await expectClosed(operator);
    await expectText(operator.locator('.notice.info'), '本年度已关闭，不能审核');
    await operator.context().close();
  });

  /** The one notice, and none of the buttons that would send a command the API refuses (YEAR_CLOSED). */
  async function expectClosed(page: Page) {
    await expectText(page.getByTestId('year-closed'), '本年度已关闭，只能查看');
    for (const id of [
      'save',
      'sign',
      'leader-sign',
      'review-accept',
      'change-share',
      'publish',
      'save-shares',
    ])
      expect([id, await page.getByTestId(id).count()]).toEqual([id, 0]);
    for (const name of ['调剂', '修改已通过的报表…', '上传'])
      expect([name, await page.getByRole('button', { name, exact: true }).count()]).toEqual([name, 0]);
  }
});
