import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import {
  type Actor,
  type Decider,
  type DomainEvent,
  type Figures,
  periodsOfYear,
  periodStart,
  planDecider,
  planStreamId,
  type PlanUnit,
  reportDecider,
  reportStreamId,
  unitDecider,
  unitStreamId,
  userDecider,
  userStreamId,
  validatePlanRows,
} from '@app/domain';
import type { EventStore } from '@app/event-store';
import { readTable } from '@app/application/plan/table-file';

const YEAR = 2024;
const IN_FLIGHT = 2048;
const DAY_MS = 24 * 60 * 60 * 1000;
/** A report takes 4 events, plus edits (20%) and returns with a second round of signatures (5%). */
const EVENTS_PER_REPORT = 4.4;

export interface SeededLedger {
  events: number;
  units: number;
  schools: number;
  reports: number;
}

interface Step {
  streamId: string;
  decider: Decider<any, any, DomainEvent>;
  command: { type: string; data: unknown };
  actor: Actor;
  at: Date;
}

/** Runs commands through the real deciders and appends what they decide, many streams at a time. */
class LedgerWriter {
  private readonly streams = new Map<string, { state: unknown; version: number }>();
  events = 0;

  constructor(private readonly store: EventStore) {}

  state<S>(streamId: string, decider: Decider<any, S, DomainEvent>): S {
    return (this.streams.get(streamId)?.state as S) ?? decider.initialState();
  }

  async run(steps: Step[]): Promise<void> {
    for (let i = 0; i < steps.length; i += IN_FLIGHT) {
      await Promise.all(steps.slice(i, i + IN_FLIGHT).map((s) => this.one(s)));
    }
  }

  private async one(step: Step): Promise<void> {
    const current = this.streams.get(step.streamId) ?? { state: step.decider.initialState(), version: 0 };
    const at = step.at.toISOString();
    const decided = step.decider.decide({ ...step.command, at, actor: step.actor }, current.state);
    if (decided.length === 0) return;
    const requestId = `seed-${step.streamId}-${current.version}`;
    const result = await this.store.append(
      step.streamId,
      decided.map((e) => ({ type: e.type, data: e.data })),
      {
        expectedVersion: current.version,
        recordedAt: step.at,
        metadata: {
          actor: {
            userId: step.actor.userId,
            username: step.actor.username,
            role: step.actor.role,
            unitCode: step.actor.unitCode,
          },
          requestId,
          correlationId: requestId,
          causationId: requestId,
        },
      },
    );
    this.events += decided.length;
    this.streams.set(step.streamId, {
      state: decided.reduce(step.decider.evolve, current.state),
      version: result.version,
    });
  }
}

/** A small deterministic generator: the same ledger on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const user = (username: string, role: Actor['role'], unitCode: string): Actor => ({
  userId: username,
  username,
  role,
  unitCode,
});

export async function loadPlanUnits(): Promise<{ units: PlanUnit[]; csv: Buffer }> {
  // From dist-bench/bench when the benchmark runs compiled; from bench/ under ts-jest (the restore drill).
  const file = [join(__dirname, '..', '..'), join(__dirname, '..')]
    .map((root) => join(root, 'data', 'plans', `${YEAR}.csv`))
    .find((path) => existsSync(path));
  const csv = readFileSync(file ?? join(__dirname, '..', '..', 'data', 'plans', `${YEAR}.csv`));
  const table = await readTable(csv, 'text/csv');
  const { units, errors } = validatePlanRows(table.header, table.rows);
  if (errors.length > 0) throw new Error(`data/plans/${YEAR}.csv has ${errors.length} bad rows`);
  return { units, csv };
}

/**
 * A year of the campaign as the ledger would record it: the plan, the schools the regions register, a
 * filler and a leader per unit, and then month by month every unit's report entered (sometimes edited),
 * signed by the filler, signed by the leader (sometimes returned and signed again) and accepted by its
 * reviewer. Stops at the end of the stage in which `targetEvents` is reached.
 */
export async function seedLedger(
  store: EventStore,
  targetEvents: number,
  log: (line: string) => void,
): Promise<SeededLedger> {
  const writer = new LedgerWriter(store);
  const rnd = random(20240330);
  const admin = user('admin', 'province-admin', 'province');
  const { units: planUnits } = await loadPlanUnits();
  const fileHash = createHash('sha256').update(canonicalize(planUnits)!).digest('hex');
  const jan = periodStart(`${YEAR}-01`).getTime();

  await writer.run([
    {
      streamId: planStreamId(YEAR),
      decider: planDecider,
      command: { type: 'PublishPlan', data: { year: YEAR, fileHash, units: planUnits } },
      actor: admin,
      at: new Date(jan + 4 * DAY_MS),
    },
  ]);

  const regions = planUnits.filter((u) => u.kind === 'region').map((u) => u.code);
  const reportsNeeded = Math.ceil(targetEvents / EVENTS_PER_REPORT);
  const schoolCount = Math.max(0, Math.ceil(reportsNeeded / 12) - planUnits.length);
  const schools = Array.from({ length: schoolCount }, (_, i) => {
    const parentCode = regions[i % regions.length];
    return { code: `${parentCode}-S${String(i + 1).padStart(5, '0')}`, parentCode };
  });
  await writer.run(
    schools.map((s, i) => ({
      streamId: unitStreamId(s.code),
      decider: unitDecider,
      command: {
        type: 'RegisterSchool',
        data: { code: s.code, name: `第${i + 1}中等职业学校`, parentCode: s.parentCode },
      },
      actor: user(`op-${s.parentCode.toLowerCase()}`, 'region-operator', s.parentCode),
      at: new Date(jan + 6 * DAY_MS + i * 1000),
    })),
  );

  const reviewerOf = new Map<string, Actor>();
  for (const u of planUnits) reviewerOf.set(u.code, admin);
  for (const s of schools)
    reviewerOf.set(s.code, user(`op-${s.parentCode.toLowerCase()}`, 'region-operator', s.parentCode));
  const codes = [...planUnits.map((u) => u.code), ...schools.map((s) => s.code)];
  const filler = (code: string) => user(`f-${code.toLowerCase()}`, 'filler', code);
  const leader = (code: string) => user(`l-${code.toLowerCase()}`, 'leader', code);

  await writer.run(
    codes.flatMap((code, i) =>
      [filler(code), leader(code)].map((u) => ({
        streamId: userStreamId(u.username),
        decider: userDecider,
        command: {
          type: 'CreateUser',
          data: { username: u.username, displayName: `${u.role}-${code}`, role: u.role, unitCode: code },
        },
        actor: reviewerOf.get(code)!,
        at: new Date(jan + 8 * DAY_MS + i * 1000),
      })),
    ),
  );
  log(`  seeded plan, ${schools.length} schools and ${codes.length * 2} users`);

  const figuresFor = (): Figures => {
    const certified = Math.floor(rnd() * 400);
    return {
      training: Math.floor(rnd() * 2000),
      certified,
      advanced: Math.floor(rnd() * certified * 0.3),
      onePlusX: Math.floor(rnd() * 150),
    };
  };
  let reports = 0;

  for (const period of periodsOfYear(YEAR)) {
    const start = periodStart(period).getTime();
    const at = (day: number, i: number) => new Date(start + day * DAY_MS + i * 10);
    const stream = (code: string) => reportStreamId(code, period);
    const returned = new Set(codes.filter(() => rnd() < 0.05));
    const edited = new Set(codes.filter(() => rnd() < 0.2));
    const enter = (code: string, i: number, day: number): Step => ({
      streamId: stream(code),
      decider: reportDecider,
      command: {
        type: 'EnterFigures',
        data: { figures: figuresFor(), periodStart: periodStart(period).toISOString(), periodInPlan: true },
      },
      actor: filler(code),
      at: at(day, i),
    });
    const sign = (code: string, i: number, day: number): Step[] => [
      {
        streamId: stream(code),
        decider: reportDecider,
        command: { type: 'SignAsFiller', data: { name: `填报人${i}`, phone: `0371-${60000000 + i}` } },
        actor: filler(code),
        at: at(day, i),
      },
    ];
    const submit = (code: string, i: number, day: number): Step => ({
      streamId: stream(code),
      decider: reportDecider,
      command: { type: 'SignAsLeader', data: { name: `组长${i}` } },
      actor: leader(code),
      at: at(day, i),
    });
    const review = (code: string, i: number, day: number, decision: 'accept' | 'return'): Step => ({
      streamId: stream(code),
      decider: reportDecider,
      command: {
        type: 'ReviewReport',
        data: decision === 'accept' ? { decision } : { decision, reason: '数据与台账不一致，请核实' },
      },
      actor: reviewerOf.get(code)!,
      at: at(day, i),
    });
    const stages: Step[][] = [
      codes.map((c, i) => enter(c, i, 18)),
      codes.filter((c) => edited.has(c)).map((c, i) => enter(c, i, 19)),
      codes.flatMap((c, i) => sign(c, i, 20)),
      codes.map((c, i) => submit(c, i, 21)),
      [...returned].map((c, i) => review(c, i, 22, 'return')),
      [...returned].map((c, i) => enter(c, i, 23)),
      [...returned].flatMap((c, i) => sign(c, i, 23)),
      [...returned].map((c, i) => submit(c, i, 24)),
      codes.map((c, i) => review(c, i, 25, 'accept')),
    ];
    for (const stage of stages) {
      await writer.run(stage);
      if (writer.events >= targetEvents) break;
    }
    reports += codes.length;
    if (writer.events >= targetEvents) break;
  }
  return { events: writer.events, units: codes.length, schools: schools.length, reports };
}
