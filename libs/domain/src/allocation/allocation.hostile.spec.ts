import fc from 'fast-check';
import { DomainError } from '../shared/errors';
import { ALLOCATED_METRICS, Quota, Share } from '../shared/figures';
import { actorOf } from '../shared/testing';
import { AllocationCommand } from './allocation.commands';
import { allocatedOf, allocationDecider, AllocationState, shareOf } from './allocation.decider';
import { AllocationEvent } from './allocation.events';

/**
 * School codes are typed by clients, and `constructor`, `toString`, `__proto__` and `hasOwnProperty`
 * are valid unit codes. Whatever the sequence of split changes, transfers and raises of the region's
 * task, no quota is minted or destroyed, the schools never hold more than the region's task, and no
 * change leaves a share below what its school has achieved.
 */
const HOSTILE = ['constructor', 'toString', '__proto__', 'hasOwnProperty'];
const REGISTERED = ['S1', ...HOSTILE];
const STRANGERS = ['valueOf', 'S9'];
const actor = actorOf('region-operator', 'R01');
const at = '2024-05-01T00:00:00.000Z';

const share = fc.record({ training: fc.nat(400), certified: fc.nat(300), onePlusX: fc.nat(60) });
const code = fc.constantFrom(...REGISTERED, ...STRANGERS);
const step = fc.oneof(
  fc.record({
    type: fc.constant('SetSchoolShare'),
    schoolCode: code,
    share,
    reason: fc.constantFrom(undefined, '调整'),
  }),
  fc.record({ type: fc.constant('PublishAllocation') }),
  fc.record({
    type: fc.constant('TransferQuota'),
    from: code,
    to: code,
    metric: fc.constantFrom(...ALLOCATED_METRICS),
    amount: fc.integer({ min: 1, max: 500 }),
  }),
  fc.record({ type: fc.constant('Raise'), by: share }),
);

const run = (state: AllocationState, command: AllocationCommand) => {
  try {
    const events = allocationDecider.decide(command, state);
    return { state: events.reduce(allocationDecider.evolve, state), events };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { state, events: [] as AllocationEvent[] };
  }
};

describe('allocation against hostile school codes', () => {
  it('never mints or destroys quota and keeps every share within the task and above what was achieved', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 40 }),
        fc.dictionary(fc.constantFrom(...REGISTERED), share),
        (steps, achievedByCode) => {
          const achieved = new Map(Object.entries(achievedByCode));
          let regionQuota: Quota = { training: 1000, certified: 800, advanced: null, onePlusX: 150 };
          let state = allocationDecider.initialState();
          for (const s of steps) {
            if (s.type === 'Raise') {
              regionQuota = {
                ...regionQuota,
                training: regionQuota.training! + s.by.training,
                certified: regionQuota.certified! + s.by.certified,
                onePlusX: regionQuota.onePlusX! + s.by.onePlusX,
              };
              continue;
            }
            const { type, ...data } = s as any;
            const shrinking = type === 'TransferQuota' ? data.from : data.schoolCode;
            const done: Share = (Object.hasOwn(achievedByCode, shrinking) && achieved.get(shrinking)) || {
              training: 0,
              certified: 0,
              onePlusX: 0,
            };
            const command = {
              type,
              data: {
                ...data,
                reason: data.reason ?? '调剂',
                regionQuota,
                regionSchools: REGISTERED,
                achieved: done,
              },
              at,
              actor,
            } as AllocationCommand;
            const before = state;
            const result = run(state, command);
            state = result.state;

            const allocated = allocatedOf(state);
            for (const m of ALLOCATED_METRICS) expect(allocated[m]).toBeLessThanOrEqual(regionQuota[m]!);
            if (type === 'TransferQuota') expect(allocated).toEqual(allocatedOf(before));
            for (const [school, held] of state.shares) {
              expect(REGISTERED).toContain(school);
              const was = shareOf(before, school);
              for (const m of ALLOCATED_METRICS) {
                expect(Number.isInteger(held[m]) && held[m] >= 0).toBe(true);
                if (was && held[m] < was[m]) expect(held[m]).toBeGreaterThanOrEqual(done[m]);
              }
            }
            // Nothing ever leaks onto a prototype.
            expect(({} as Record<string, unknown>).training).toBeUndefined();
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a transfer from `constructor` when it holds no share, instead of minting quota', () => {
    const state = allocationDecider.initialState();
    const published = [
      {
        type: 'SchoolShareSet',
        data: { schoolCode: 'S1', share: { training: 1000, certified: 800, onePlusX: 150 }, previous: null },
      },
      { type: 'AllocationPublished', data: { allocated: { training: 1000, certified: 800, onePlusX: 150 } } },
    ] as AllocationEvent[];
    const live = published.reduce(allocationDecider.evolve, state);
    const command = (from: string, to: string, amount = 1e9): AllocationCommand => ({
      type: 'TransferQuota',
      data: {
        regionQuota: { training: 1000, certified: 800, advanced: null, onePlusX: 150 },
        regionSchools: REGISTERED,
        achieved: { training: 0, certified: 0, onePlusX: 0 },
        from,
        to,
        metric: 'training',
        amount,
        reason: '调剂',
      },
      at,
      actor,
    });
    expect(() => allocationDecider.decide(command('constructor', 'S1'), live)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    const events = allocationDecider.decide(command('S1', 'toString', 10), live);
    const after = events.reduce(allocationDecider.evolve, live);
    expect(shareOf(after, 'toString')).toEqual({ training: 10, certified: 0, onePlusX: 0 });
    expect(allocatedOf(after)).toEqual({ training: 1000, certified: 800, onePlusX: 150 });
    // An evolve fed a hostile event from an older ledger moves nothing.
    const forged = allocationDecider.evolve(after, {
      type: 'QuotaTransferred',
      data: { from: '__proto__', to: 'S1', metric: 'training', amount: 5, reason: 'x' },
    });
    expect(allocatedOf(forged)).toEqual(allocatedOf(after));
  });
});
