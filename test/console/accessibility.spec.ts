import type { Page } from 'playwright-core';
import { SEAL_PNG, scanUrl } from '../scans/files';
import { publishPlan2024, registerSchool } from '../support/plan';
import { beyondRightEdge, expectAccessible, PHONE, settled, visit } from './a11y';
import { type ConsoleRig, describeInBrowser, loginPage, startConsole } from './browser';
import { fileReport } from './seed';

// Functions given to page.evaluate run in the browser, where these exist; the project compiles without
// the DOM library, so they are declared here for this file only (a declaration emits nothing).
declare const document: any;
declare function getComputedStyle(el: unknown, pseudo?: string): any;

jest.setTimeout(60_000);

/** A console route, and what to do there before axe looks (make a refusal appear, say). */
type Step = { route: string; act?: (page: Page) => Promise<void> };

const FIGURES = { training: 300, certified: 200, advanced: 0, onePlusX: 20 };

/**
 * axe-core (WCAG 2 A/AA) on every page of every role at the office screen's 1366 × 768, in the states people
 * meet: empty forms, refusals next to their fields, a report to review, a history with two revisions.
 * Desk pages must not scroll sideways at a phone's width either: wide tables scroll inside their own box.
 */
describeInBrowser('the web console is accessible (WCAG 2.1 AA) for every role', () => {
  let rig: ConsoleRig;

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
    const admin = await h.token('admin');
    const accepted = await fileReport(h, 'U02', '2024-02', FIGURES, { filler, leader, reviewer: admin });
    h.clock.advance(3600_000);
    await h
      .as(filler)
      .post('/api/v1/units/U02/reports/2024-02/amendments')
      .set('If-Match', accepted.headers.etag)
      .send({ figures: { ...FIGURES, training: 450 }, reason: '补录漏报的校外培训' });
    await fileReport(h, 'U02', '2024-03', FIGURES, { filler, leader });
    // The sealed form, so the filler, the reviewer and the auditor see a scan beside the figures.
    const scan = await h
      .as(filler)
      .put(scanUrl('U02', '2024-03'))
      .set('Content-Type', 'image/png')
      .send(SEAL_PNG);
    expect(scan.status).toBe(200);
    await h.user('u03-filler', 'filler', 'U03');
    await h.user('u04-filler', 'filler', 'U04');
    // U05's filler has signed March: its leader has a report waiting, to sign or to refuse.
    const u05 = await h.user('u05-filler', 'filler', 'U05');
    await h.user('u05-leader', 'leader', 'U05');
    const draft = await h
      .as(u05)
      .put('/api/v1/units/U05/reports/2024-03')
      .set('If-Match', '"0"')
      .send({ figures: FIGURES });
    await h
      .as(u05)
      .post('/api/v1/units/U05/reports/2024-03/signatures')
      .set('If-Match', draft.headers.etag)
      .send({ name: '周丽', phone: '13700000000' });
    await h.user('u04-leader', 'leader', 'U04');
  }, 180_000); // a dozen argon2 logins: slow on a loaded 2-core machine
  afterAll(() => rig?.close());

  /** Every page in the role's menu, then the extra states given, each checked by axe and for width. */
  async function checkRole(username: string, extra: Step[]) {
    const page = await loginPage(
      rig,
      username,
      `${username === 'admin' ? 'admin-password-1' : `${username}-password`}`,
    );
    await settled(page);
    const menu = await page
      .locator('#nav a')
      .evaluateAll((links: any[]) => links.map((a) => a.getAttribute('href') as string));
    expect(menu.length).toBeGreaterThan(0);
    const seen: string[] = [];
    const steps: Step[] = [...menu.map((href) => ({ route: href })), ...extra];
    for (const route of steps) {
      await visit(page, `${rig.base}/${route.route}`);
      if (route.act) await route.act(page);
      await expectAccessible(page, `${username} ${route.route}`);
      expect({ route: route.route, beyond: await beyondRightEdge(page) }).toEqual({
        route: route.route,
        beyond: [],
      });
      seen.push(route.route);
    }
    // Desk-first pages still never make the whole page scroll sideways on a phone.
    await page.setViewportSize(PHONE);
    for (const route of seen) {
      await visit(page, `${rig.base}/${route}`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      expect({ route, wide }).toEqual({ route, wide: PHONE.width });
    }
    await page.context().close();
  }

  it('takes a filler and then the leader from an empty form to a submitted report by keyboard alone', async () => {
    const filler = await loginPage(rig, 'u04-filler', 'u04-filler-password');
    await settled(filler);
    for (const [name, figure] of [
      ['training', '120'],
      ['certified', '100'],
      ['advanced', '10'],
      ['onePlusX', '8'],
    ]) {
      await tabTo(filler, `input[name=${name}]`);
      await filler.keyboard.type(figure);
    }
    await tabTo(filler, '[data-testid=save]');
    await filler.keyboard.press('Enter');
    await filler.locator('.notice.ok').filter({ hasText: '已保存' }).waitFor();
    // The page was redrawn; the focus is back on the save button, not at the top of the page.
    expect(await focused(filler)).toBe('button[data-testid=save]');
    await tabTo(filler, 'input[name=name]');
    await filler.keyboard.type('王磊');
    await tabTo(filler, 'input[name=phone]');
    await filler.keyboard.type('13900000000');
    await tabTo(filler, '[data-testid=sign]');
    await filler.keyboard.press('Enter');
    await filler.getByTestId('status').filter({ hasText: '填报人已签字' }).waitFor();
    await filler.context().close();

    const leader = await loginPage(rig, 'u04-leader', 'u04-leader-password');
    await settled(leader);
    await tabTo(leader, 'input[name=name]');
    await leader.keyboard.type('陈刚');
    await tabTo(leader, '[data-testid=leader-sign]');
    await leader.keyboard.press('Enter');
    await leader.locator('.notice.ok').filter({ hasText: '已提交审核' }).waitFor();
    const report = await rig.h.as(await rig.h.token('admin')).get('/api/v1/units/U04/reports/2024-03');
    expect(report.body).toMatchObject({ status: 'submitted', figures: { training: 120, onePlusX: 8 } });
    await leader.context().close();
  });

  it('has nothing for axe on the login page', async () => {
    const context = await rig.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${rig.base}/`);
    await page.getByLabel('用户名').waitFor();
    await expectAccessible(page, 'login');
    await page.getByLabel('用户名').fill('nobody');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.notice.error').waitFor();
    await expectAccessible(page, 'login refused');
    await context.close();
  });

  it("passes axe on the filler's pages: an empty month, refusals beside their fields, an amendment", async () => {
    await checkRole('u03-filler', [
      {
        route: '#/report?period=2024-03',
        act: async (page) => {
          await page.locator('input[name=training]').fill('abc');
          await page.locator('input[name=certified]').fill('100');
          await page.locator('input[name=advanced]').fill('200');
          await page.locator('input[name=onePlusX]').fill('150');
          await page.getByTestId('save').click();
          await page.locator('.notice.error').waitFor();
        },
      },
    ]);
    await checkRole('u02-filler', [{ route: '#/report?period=2024-02' }]);
  });

  it("passes axe on the leader's pages, with a report waiting and with a refusal explained", async () => {
    await checkRole('u02-leader', [{ route: '#/sign?period=2024-02' }]);
    await checkRole('u05-leader', [
      {
        route: '#/sign?period=2024-03',
        act: async (page) => {
          await page.getByTestId('leader-refuse').click();
          await page.locator('.notice.error').waitFor();
        },
      },
    ]);
  });

  it("passes axe on a region operator's pages: split, review with a reason required, timeliness, users", async () => {
    await checkRole('jy-op', [
      {
        route: '#/review?period=2024-03&unit=R18-S1',
        act: async (page) => {
          await page.getByTestId('review-return').click();
          await page.locator('.hint.error').first().waitFor();
        },
      },
    ]);
  });

  it("passes axe on the province's pages: dashboard with charts, review, import with bad rows, users", async () => {
    await checkRole('admin', [
      { route: '#/review?period=2024-03&unit=U02' },
      { route: '#/dashboard?period=2024-03&metric=training&region=R18' },
      {
        route: '#/import',
        act: async (page) => {
          const csv = 'code,name,kind,training,certified,advanced,onePlusX\nR01,郑州市,region,abc,100,—,10\n';
          await page.getByLabel('计划年度').fill('2025');
          await page
            .locator('input[type=file]')
            .first()
            .setInputFiles({ name: 'plan.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
          await page.getByTestId('import-plan').click();
          await page.getByTestId('bad-rows').waitFor();
        },
      },
    ]);
  });

  it("passes axe on the auditor's pages: history, two revisions, a past instant, the ledger check", async () => {
    await checkRole('auditor', [
      { route: '#/history?unit=U02&period=2024-02' },
      { route: '#/history?unit=U02&period=2024-03' },
      { route: '#/history?unit=U02&period=2024-02&asOf=2024-03-15T10:30:00' },
      {
        route: '#/ledger',
        act: async (page) => {
          await page.getByTestId('verify').click();
          await page.getByTestId('verification').filter({ hasText: '校验' }).waitFor();
        },
      },
    ]);
  });
});

/** Presses Tab until the focus is on `selector`; every control on the way shows where the focus is. */
async function tabTo(page: Page, selector: string, most = 60): Promise<void> {
  for (let i = 0; i < most; i++) {
    await page.keyboard.press('Tab');
    const state = await page.evaluate((wanted) => {
      const el = document.activeElement as any;
      if (!el || el === document.body) return { here: false, ring: true, what: 'body' };
      const s = getComputedStyle(el);
      const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
      return { here: el.matches(wanted), ring, what: el.outerHTML.slice(0, 80) };
    }, selector);
    expect({ focused: state.what, visible: state.ring }).toEqual({ focused: state.what, visible: true });
    if (state.here) return;
  }
  throw new Error(`${selector} not reached with ${most} presses of Tab`);
}

/** The focused element as tag[data-testid=…] or tag[name=…]. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as any;
    const id = el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : `[name=${el.getAttribute('name')}]`;
    return `${el.tagName.toLowerCase()}${id}`;
  });
}
