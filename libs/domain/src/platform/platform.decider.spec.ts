import { actorOf, deciderSpec } from '../shared/testing';
import { platformDecider, reconcile, validatePlatformRows } from './platform.decider';

const known = new Set(['U01', 'U02', 'R01-S1']);
const at = '2024-04-02T02:00:00.000Z';
const actor = actorOf('province-admin', 'province');
const figures = [{ unitCode: 'U01', training: 120 }];

describe('platform figures for a month', () => {
  const spec = deciderSpec(platformDecider);

  it('records a first file', () => {
    spec
      .given([])
      .when({
        type: 'ImportPlatformFigures',
        data: { period: '2024-03', fileHash: 'h1', figures },
        at,
        actor,
      })
      .then([{ type: 'PlatformFiguresImported', data: { period: '2024-03', fileHash: 'h1', figures } }]);
  });

  it('records nothing for the same file again', () => {
    spec
      .given([{ type: 'PlatformFiguresImported', data: { period: '2024-03', fileHash: 'h1', figures } }])
      .when({
        type: 'ImportPlatformFigures',
        data: { period: '2024-03', fileHash: 'h1', figures },
        at,
        actor,
      })
      .thenNothing();
  });

  it('records a different file for the same month as a new import', () => {
    const next = [{ unitCode: 'U01', training: 130 }];
    spec
      .given([{ type: 'PlatformFiguresImported', data: { period: '2024-03', fileHash: 'h1', figures } }])
      .when({
        type: 'ImportPlatformFigures',
        data: { period: '2024-03', fileHash: 'h2', figures: next },
        at,
        actor,
      })
      .then([
        { type: 'PlatformFiguresImported', data: { period: '2024-03', fileHash: 'h2', figures: next } },
      ]);
  });
});

describe('validating the platform export', () => {
  it('reads good rows', () => {
    const result = validatePlatformRows(
      ['unitCode', 'training'],
      [
        ['U01', '120'],
        ['R01-S1', '0'],
      ],
      known,
    );
    expect(result).toEqual({
      errors: [],
      figures: [
        { unitCode: 'U01', training: 120 },
        { unitCode: 'R01-S1', training: 0 },
      ],
    });
  });

  it('refuses a file without its header', () => {
    expect(validatePlatformRows(['U01', '120'], [], known).errors).toEqual([
      expect.objectContaining({ row: 1, code: 'INVALID_HEADER' }),
    ]);
  });

  it('reports every bad cell with its row and column', () => {
    const { errors } = validatePlatformRows(
      ['unitCode', 'training'],
      [
        ['X9', '5'],
        ['U01', '-1'],
        ['U02', '1.5'],
        ['U02', '3'],
        ['U01', 'abc'],
      ],
      known,
    );
    expect(errors.map((e) => `${e.row}:${e.column}:${e.code}`)).toEqual([
      '2:unitCode:UNKNOWN_UNIT',
      '3:training:INVALID_FIGURE',
      '4:training:INVALID_FIGURE',
      '5:unitCode:DUPLICATE_CODE',
      '6:unitCode:DUPLICATE_CODE',
      '6:training:INVALID_FIGURE',
    ]);
  });
});

describe('reconciling reported training with the platform', () => {
  it('gives 0 for agreeing units, the difference for others, null without an official report', () => {
    const rows = reconcile(
      ['U01', 'U02', 'U03', 'U04'],
      new Map([
        ['U01', 100],
        ['U02', 90],
        ['U04', 40],
      ]),
      new Map([
        ['U01', 100],
        ['U02', 100],
        ['U03', 7],
      ]),
    );
    expect(rows).toEqual([
      { code: 'U01', reported: 100, platform: 100, difference: 0 },
      { code: 'U02', reported: 90, platform: 100, difference: -10 },
      { code: 'U03', reported: null, platform: 7, difference: null },
      { code: 'U04', reported: 40, platform: null, difference: 40 },
    ]);
  });
});
