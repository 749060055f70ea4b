import {
  type Actor,
  type AllocationCommand,
  allocationDecider,
  allocationStreamId,
  planDecider,
  planStreamId,
  type PlanUnit,
  periodStart,
  reportDecider,
  reportStreamId,
  unitDecider,
  unitStreamId,
} from '../../libs/domain/src';
import { CommandExecutor } from '../../libs/application/src/command-executor';
import type { ManualClock } from '../../libs/platform/src/clock';

const ADMIN: Actor = { userId: 'admin', username: 'admin', role: 'province-admin', unitCode: 'province' };
const quota = { training: 1000, certified: 500, advanced: null, onePlusX: 100 };

/** A small plan: one region, one undergraduate and one higher-vocational unit. */
export const PLAN_UNITS: PlanUnit[] = [
  { code: 'R01', name: '郑州市', kind: 'region', quota },
  { code: 'U01', name: '郑州大学', kind: 'undergraduate', quota: { ...quota, advanced: 50 } },
  { code: 'H01', name: '河南职业技术学院', kind: 'higher-vocational', quota: { ...quota, advanced: 50 } },
];

/** Runs `work` with the clock at `instant`, then puts it back. */
async function at<T>(clock: ManualClock, instant: string, work: () => Promise<T>): Promise<T> {
  const before = clock.now();
  clock.set(instant);
  try {
    return await work();
  } finally {
    clock.set(before);
  }
}

export function seeder(executor: CommandExecutor, clock: ManualClock) {
  return {
    publishPlan: (
      year: number,
      options: {
        units?: PlanUnit[];
        dueDay?: number;
        reminderDays?: number;
        at?: string;
        reportingFrom?: string;
      } = {},
    ) =>
      at(clock, options.at ?? `${year}-01-02T02:00:00Z`, () =>
        executor.execute({
          streamId: planStreamId(year),
          decider: planDecider,
          actor: ADMIN,
          command: (now) => ({
            type: 'PublishPlan' as const,
            data: {
              year,
              fileHash: `test-${year}`,
              units: options.units ?? PLAN_UNITS,
              dueDay: options.dueDay,
              reminderDays: options.reminderDays,
              // These suites are about deadlines, not obligations: the plan is owed from January.
              reportingFrom: options.reportingFrom ?? `${year}-01`,
            },
            at: now.toISOString(),
            actor: ADMIN,
          }),
        }),
      ),

    registerSchool: (code: string, parentCode: string, instant = '2024-01-03T02:00:00Z') =>
      at(clock, instant, () =>
        executor.execute({
          streamId: unitStreamId(code),
          decider: unitDecider,
          actor: ADMIN,
          command: (now) => ({
            type: 'RegisterSchool',
            data: { code, name: `${code} 中等专业学校`, parentCode },
            at: now.toISOString(),
            actor: ADMIN,
          }),
        }),
      ),

    /**
     * The region gives its whole task to the first school (nothing to the others) and publishes: a
     * school owes reports only once it holds a share of a published split (API.md v1.1).
     */
    publishSplit: (regionCode: string, schools: string[], instant = '2024-01-03T03:00:00Z', year = 2024) =>
      at(clock, instant, async () => {
        const regionQuota = PLAN_UNITS.find((u) => u.code === regionCode)!.quota;
        const achieved = { training: 0, certified: 0, onePlusX: 0 };
        const whole = {
          training: regionQuota.training ?? 0,
          certified: regionQuota.certified ?? 0,
          onePlusX: regionQuota.onePlusX ?? 0,
        };
        const steps: AllocationCommand['data'][] = [
          ...schools.map((schoolCode, i) => ({
            regionQuota,
            regionSchools: schools,
            achieved,
            schoolCode,
            share: i === 0 ? whole : achieved,
          })),
          { regionQuota },
        ];
        for (const data of steps) {
          await executor.execute({
            streamId: allocationStreamId(year, regionCode),
            decider: allocationDecider,
            actor: ADMIN,
            command: (now) =>
              ({
                type: 'schoolCode' in data ? 'SetSchoolShare' : 'PublishAllocation',
                data,
                at: now.toISOString(),
                actor: ADMIN,
              }) as AllocationCommand,
          });
        }
      }),

    /** Filler enters and signs, the leader signs: the report is submitted at `instant`. */
    submit: (unitCode: string, period: string, instant: string) =>
      at(clock, instant, async () => {
        const filler: Actor = {
          userId: `f-${unitCode}`,
          username: `f-${unitCode}`,
          role: 'filler',
          unitCode,
        };
        const leader: Actor = {
          userId: `l-${unitCode}`,
          username: `l-${unitCode}`,
          role: 'leader',
          unitCode,
        };
        const streamId = reportStreamId(unitCode, period);
        const run = (actor: Actor, type: string, data: unknown) =>
          executor.execute({
            streamId,
            decider: reportDecider,
            actor,
            command: (now) => ({ type, data, at: now.toISOString(), actor }) as any,
          });
        await run(filler, 'EnterFigures', {
          figures: { training: 10, certified: 5, advanced: 0, onePlusX: 1 },
          periodStart: periodStart(period).toISOString(),
          periodInPlan: true,
        });
        await run(filler, 'SignAsFiller', { name: '张三', phone: '13800000000' });
        return run(leader, 'SignAsLeader', { name: '李四' });
      }),
  };
}
