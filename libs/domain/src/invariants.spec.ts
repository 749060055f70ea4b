import fc from 'fast-check';
import { type AllocationCommand, allocationDecider, allocatedOf } from './allocation';
import {
  type ReportCommand,
  reportDecider,
  type ReportEvent,
  type ReportState,
  cumulativeFigures,
} from './report';
import { type Actor } from './shared/actor';
import { DomainError } from './shared/errors';
import { addFigures, type Figures, type Quota, zeroFigures } from './shared/figures';

/**
 * Random command sequences against the deciders: whatever is accepted or refused, the invariants of
 * the notice hold after every step. Refusals (DomainError) leave the state as it was.
 */
const actor = (role: Actor['role'], userId: string): Actor => ({
  userId,
  username: userId,
  role,
  unitCode: 'X',
});
const run = <C, S, E>(decider: { decide(c: C, s: S): E[]; evolve(s: S, e: E): S }, state: S, command: C) => {
  try {
    const events = decider.decide(command, state);
    return { state: events.reduce(decider.evolve, state), events };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { state, events: [] as E[] };
  }
};

describe('allocation invariants', () => {
  const regionQuota: Quota = { training: 1000, certified: 800, advanced: null, onePlusX: 150 };
  const schools = ['S1', 'S2', 'S3'];
  const share = fc.record({ training: fc.nat(600), certified: fc.nat(500), onePlusX: fc.nat(100) });
  const command: fc.Arbitrary<any> = fc.oneof(
    fc.record({ type: fc.constant('SetSchoolShare'), schoolCode: fc.constantFrom(...schools), share }),
    fc.record({ type: fc.constant('PublishAllocation') }),
    fc.record({
      type: fc.constant('TransferQuota'),
      from: fc.constantFrom(...schools),
      to: fc.constantFrom(...schools),
      metric: fc.constantFrom('training', 'certified', 'onePlusX'),
      amount: fc.integer({ min: 1, max: 700 }),
    }),
  );

  it('never lets the schools hold more than the region, and publishing needs the exact sum', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), (commands) => {
        let state = allocationDecider.initialState();
        for (const c of commands) {
          const { type, ...data } = c;
          const full = {
            type,
            data: {
              ...data,
              regionQuota,
              regionSchools: schools,
              achieved: { training: 0, certified: 0, onePlusX: 0 },
            },
            at: '2024-03-01T00:00:00.000Z',
            actor: actor('region-operator', 'op'),
          } as AllocationCommand;
          state = run(allocationDecider, state, full).state;
          const allocated = allocatedOf(state);
          expect(allocated.training).toBeLessThanOrEqual(1000);
          expect(allocated.certified).toBeLessThanOrEqual(800);
          expect(allocated.onePlusX).toBeLessThanOrEqual(150);
          for (const s of state.shares.values()) {
            expect(Math.min(s.training, s.certified, s.onePlusX)).toBeGreaterThanOrEqual(0);
          }
          if (state.status === 'published' && full.type === 'PublishAllocation')
            expect(allocated).toEqual({ training: 1000, certified: 800, onePlusX: 150 });
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('report invariants', () => {
  const figures = fc.record({
    training: fc.nat(1000),
    certified: fc.nat(500),
    advanced: fc.nat(500),
    onePlusX: fc.nat(600),
  });
  const step = fc.oneof(
    fc.record({ type: fc.constant('EnterFigures'), figures }),
    fc.record({ type: fc.constant('SignAsFiller'), who: fc.constantFrom('filler', 'leader') }),
    fc.record({ type: fc.constant('SignAsLeader'), who: fc.constantFrom('filler', 'leader') }),
    fc.record({ type: fc.constant('ReviewReport'), decision: fc.constantFrom('accept', 'return') }),
    fc.record({ type: fc.constant('AmendReport'), figures }),
  );
  const toCommand = (s: any, at: string): ReportCommand => {
    const names = { filler: '张三', leader: '李四' } as const;
    switch (s.type) {
      case 'EnterFigures':
        return {
          type: s.type,
          data: { figures: s.figures, periodStart: '2024-02-29T16:00:00.000Z', periodInPlan: true },
          at,
          actor: actor('filler', 'filler'),
        };
      case 'SignAsFiller':
        return {
          type: s.type,
          data: { name: names[s.who as 'filler'], phone: '13800000000' },
          at,
          actor: actor('filler', s.who),
        };
      case 'SignAsLeader':
        return { type: s.type, data: { name: names[s.who as 'leader'] }, at, actor: actor('leader', s.who) };
      case 'ReviewReport':
        return {
          type: s.type,
          data: { decision: s.decision, reason: '请核实' },
          at,
          actor: actor('province-admin', 'admin'),
        };
      default:
        return {
          type: 'AmendReport',
          data: { figures: s.figures, reason: '更正' },
          at,
          actor: actor('filler', 'filler'),
        };
    }
  };
  const ok = (f: Figures | null) => f === null || f.advanced <= f.certified;

  it('keeps advanced ≤ certified, one acceptance per revision, and the official revision behind the current one', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let state: ReportState = reportDecider.initialState();
        const accepted = new Map<number, number>();
        steps.forEach((s, i) => {
          const at = new Date(Date.UTC(2024, 2, 10, 0, i)).toISOString();
          const result = run(reportDecider, state, toCommand(s, at));
          state = result.state;
          for (const e of result.events as ReportEvent[]) {
            if (e.type === 'ReportAccepted')
              accepted.set(e.data.revision, (accepted.get(e.data.revision) ?? 0) + 1);
          }
          expect(ok(state.figures)).toBe(true);
          expect(ok(state.official?.figures ?? null)).toBe(true);
          if (state.official) expect(state.official.revision).toBeLessThanOrEqual(state.revision);
          if (state.signatures.leader) expect(state.signatures.filler).not.toBeNull();
        });
        for (const count of accepted.values()) expect(count).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it('makes the cumulative figure the sum of the official months, whatever order months are amended in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 11 }), figures), { maxLength: 30 }),
        (amendments) => {
          const official: (Figures | null)[] = Array(12).fill(null);
          for (const [month, f] of amendments) official[month] = f;
          for (let m = 0; m < 12; m++) {
            const earlier = official.slice(0, m).filter((f): f is Figures => f !== null);
            const current = official[m] ?? zeroFigures();
            const expected = official
              .slice(0, m + 1)
              .reduce<Figures>((sum, f) => (f ? addFigures(sum, f) : sum), zeroFigures());
            expect(cumulativeFigures(earlier, current)).toEqual(expected);
          }
        },
      ),
    );
  });
});
