import { publishPlan2024 } from '../support/plan';
import { type ConsoleRig, describeInBrowser, loginPage, shoot, startConsole } from './browser';

jest.setTimeout(60_000);

/** A plan loaded for an earlier year: the console opens on it, and the selector reaches the current year. */
describeInBrowser('the console opens on the latest year with a published plan', () => {
  let rig: ConsoleRig;

  beforeAll(async () => {
    rig = await startConsole({ now: '2026-11-30T02:00:00.000Z' });
    await publishPlan2024(rig.h);
  }, 120_000);
  afterAll(() => rig?.close());

  it('opens the dashboard on 2024, not on the empty current year, and switches years with the selector', async () => {
    const page = await loginPage(rig, 'admin', 'admin-password-1');
    await page.getByRole('heading', { name: '2024 年度任务进度总览' }).waitFor();
    const select = page.getByTestId('year-select');
    expect(await select.inputValue()).toBe('2024');
    expect(await select.locator('option').allTextContents()).toEqual(['2024 年度', '2026 年度']);
    await shoot(page, 'year-selector');

    await select.selectOption('2026');
    await page.getByText('2026 年度计划尚未发布。').waitFor();
    await select.selectOption('2024');
    await page.getByRole('heading', { name: '2024 年度任务进度总览' }).waitFor();
  });
});
