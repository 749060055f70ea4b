import { planTotals, PLAN_HEADER, validatePlanRows } from './plan.rows';

const header = [...PLAN_HEADER];
const good = ['R01', '郑州市(含巩义市)', 'region', '80600', '68300', '—', '12420'];

describe('validatePlanRows', () => {
  it('turns a valid row into a unit, reading "—", "-" and an empty cell as not assigned', () => {
    const { units, errors } = validatePlanRows(header, [
      good,
      ['R02', '开封市', 'region', '18050', '15300', '-', '2780'],
      ['U01', ' 郑州科技学院 ', 'undergraduate', '4750', '4000', '2500', ''],
    ]);
    expect(errors).toEqual([]);
    expect(units.map((u) => u.quota)).toEqual([
      { training: 80600, certified: 68300, advanced: null, onePlusX: 12420 },
      { training: 18050, certified: 15300, advanced: null, onePlusX: 2780 },
      { training: 4750, certified: 4000, advanced: 2500, onePlusX: null },
    ]);
    expect(units[2].name).toBe('郑州科技学院');
  });

  it('accepts a header with a BOM and padded cells', () => {
    const { errors } = validatePlanRows(['\uFEFFcode', ' name', 'kind ', ...header.slice(3)], [good]);
    expect(errors).toEqual([]);
  });

  it('refuses a header that is not exactly the contract, and checks no rows', () => {
    const { units, errors } = validatePlanRows(
      ['code', 'name', 'kind', 'training', 'certified', 'onePlusX'],
      [good],
    );
    expect(units).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ row: 1, column: null, code: 'HEADER_MISMATCH' })]);
  });

  it('reports a figure cell in Chinese with its spreadsheet row number', () => {
    const rows = [good, good.map((c, i) => (i === 0 ? 'R02' : c)), good.map((c, i) => (i === 0 ? 'R03' : c))];
    rows.push(['R04', '洛阳市', 'region', '12.5', '22600', '—', '4110']);
    const { errors } = validatePlanRows(header, rows);
    expect(errors).toEqual([
      {
        row: 5,
        column: 'training',
        field: 'row5.training',
        code: 'INVALID_FIGURE',
        message: '第 5 行“培训任务”必须是 0 到 1000000000 的整数',
      },
    ]);
  });

  it('reports every bad cell of every row, not just the first', () => {
    const { units, errors } = validatePlanRows(header, [
      ['bad code', '', 'city', '-1', '1,000', '2000000000', 'abc'],
      ['R01', 'x'.repeat(101), 'region', '10', '5', '6', '1'],
    ]);
    expect(units).toEqual([]);
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, 'code', 'INVALID_CODE'],
      [2, 'name', 'REQUIRED'],
      [2, 'kind', 'INVALID_KIND'],
      [2, 'training', 'INVALID_FIGURE'],
      [2, 'certified', 'INVALID_FIGURE'],
      [2, 'advanced', 'INVALID_FIGURE'],
      [2, 'onePlusX', 'INVALID_FIGURE'],
      [3, 'name', 'TOO_LONG'],
      [3, 'advanced', 'ADVANCED_EXCEEDS_CERTIFIED'],
    ]);
  });

  it('accepts the largest figure and refuses one above a billion', () => {
    const at = (v: string) => validatePlanRows(header, [['R01', 'a', 'region', v, '0', '0', '0']]).errors;
    expect(at('1000000000')).toEqual([]);
    expect(at('1000000001')).toHaveLength(1);
    expect(at('１２')).toHaveLength(1); // full-width digits are not plain digits
  });

  it('names the first row of a duplicated code', () => {
    const { errors } = validatePlanRows(header, [good, good]);
    expect(errors).toEqual([
      expect.objectContaining({
        row: 3,
        column: 'code',
        code: 'DUPLICATE_CODE',
        message: '第 3 行“单位代码”R01 与第 2 行重复',
      }),
    ]);
  });

  it('keeps the code "province" for the root of the unit tree', () => {
    const { errors } = validatePlanRows(header, [['province', '河南省', 'region', '1', '1', '—', '1']]);
    expect(errors.map((e) => e.code)).toEqual(['INVALID_CODE']);
  });

  it('refuses a row with missing or extra cells, but tolerates trailing empty cells', () => {
    const { errors } = validatePlanRows(header, [
      good.slice(0, 6),
      [...good, 'x'],
      [...good.map((c, i) => (i ? c : 'R09')), '', ' '],
    ]);
    expect(errors.map((e) => [e.row, e.code])).toEqual([
      [2, 'COLUMN_COUNT'],
      [3, 'COLUMN_COUNT'],
    ]);
  });

  it('skips blank lines but keeps counting them', () => {
    const { units, errors } = validatePlanRows(header, [
      [''],
      good,
      ['R01', '', 'region', '1', '1', '', '1'],
    ]);
    expect(units).toHaveLength(1);
    expect(errors.map((e) => [e.row, e.code])).toEqual([
      [4, 'DUPLICATE_CODE'],
      [4, 'REQUIRED'],
    ]);
  });

  it('refuses a file with a header and no units', () => {
    expect(validatePlanRows(header, []).errors.map((e) => e.code)).toEqual(['NO_ROWS']);
  });
});

describe('planTotals', () => {
  it('sums each metric over the units, ignoring not-assigned cells', () => {
    expect(
      planTotals([
        { quota: { training: 10, certified: 8, advanced: null, onePlusX: 1 } },
        { quota: { training: 5, certified: 4, advanced: 3, onePlusX: null } },
      ]),
    ).toEqual({ training: 15, certified: 12, advanced: 3, onePlusX: 1 });
  });
});
