import {
  type Actor,
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
      options: { units?: PlanUnit[]; dueDay?: number; reminderDays?: number; at?: string } = {},
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
