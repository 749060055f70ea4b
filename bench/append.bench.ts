import type { EventMetadata, NewEvent } from '@app/event-store';
import type { AppendTarget } from './append-targets';
import { elapsedMs, Latencies, now, round } from './stats';

export interface AppendFigures {
  eventsPerSec: number;
  p50Ms: number | null;
  p99Ms: number | null;
  appends: number;
  errors: number;
}

export interface AppendComparison {
  writers: number;
  eventsPerAppend: number;
  rounds: number;
  secondsPerRound: number;
  /** What `ours` measured: the command path (CommandExecutor) or the store's API alone. */
  oursPath: string;
  ours: AppendFigures;
  /** EventStore.append without a hook, measured in the same rounds (a labelled extra; absent when `ours` is it). */
  storeWithoutHooks?: AppendFigures;
  emmett: AppendFigures;
  plainInsert: AppendFigures;
}

export const PATHS = {
  ours: 'CommandExecutor.execute: report decider, inline projections and idempotency claim in the append transaction',
  store: 'EventStore.append without an in-transaction hook (no read model, no idempotency claim)',
};

/** Each stream is a monthly report taking a few appends, as the month-end flow does. */
const APPENDS_PER_STREAM = 4;
const LIFECYCLE = ['ReportFiguresEntered', 'ReportSignedByFiller', 'ReportSubmitted', 'ReportAccepted'];

/**
 * The same streams and payloads for every system: writer w appends to streams w, w + writers, ...
 * (APPENDS_PER_STREAM appends each, with the expected version it knows), so whatever each system gets
 * through in its rounds, it got through the identical sequence.
 */
class Workload {
  private readonly cursor: { stream: number; append: number }[];

  constructor(
    private readonly writers: number,
    private readonly eventsPerAppend: number,
  ) {
    this.cursor = Array.from({ length: writers }, (_, w) => ({ stream: w, append: 0 }));
  }

  next(writer: number): { streamId: string; events: NewEvent[]; metadata: EventMetadata; expected: number } {
    const c = this.cursor[writer];
    const n = this.eventsPerAppend;
    const unit = `B${String(c.stream).padStart(6, '0')}`;
    const streamId = `report-${unit}-${n}-2024-03`;
    const events = Array.from({ length: n }, (_, i) => payload(c.stream, c.append * n + i));
    const metadata: EventMetadata = {
      actor: { userId: `${unit}-filler`, username: `${unit}-filler`, role: 'filler', unitCode: unit },
      requestId: `req-${c.stream}-${c.append}`,
      correlationId: `req-${c.stream}-${c.append}`,
      causationId: `req-${c.stream}-${c.append}`,
    };
    const expected = c.append * n;
    c.append += 1;
    if (c.append === APPENDS_PER_STREAM) {
      c.stream += this.writers;
      c.append = 0;
    }
    return { streamId, events, metadata, expected };
  }
}

function payload(stream: number, index: number): NewEvent {
  const type = LIFECYCLE[index % LIFECYCLE.length];
  const figures = {
    training: 100 + ((stream * 7 + index) % 900),
    certified: 50 + ((stream * 3 + index) % 400),
    advanced: (stream + index) % 50,
    onePlusX: (stream * 5 + index) % 120,
  };
  const signedAt = '2024-03-20T02:00:00.000Z';
  const revision = 1 + Math.floor(index / LIFECYCLE.length);
  switch (type) {
    case 'ReportFiguresEntered':
      return { type, data: { revision, figures } };
    case 'ReportSignedByFiller':
      return {
        type,
        data: {
          revision,
          userId: 'filler',
          name: '张三',
          phone: '0371-12345678',
          figuresHash: 'f'.repeat(64),
          signedAt,
        },
      };
    case 'ReportSubmitted':
      return { type, data: { revision, userId: 'leader', name: '李四', signedAt } };
    default:
      return { type, data: { revision, figures, acceptedAt: signedAt } };
  }
}

async function runRound(
  target: AppendTarget,
  workload: Workload,
  writers: number,
  seconds: number,
  latencies: Latencies,
): Promise<{ events: number; appends: number; errors: number; ms: number }> {
  let events = 0;
  let appends = 0;
  let errors = 0;
  const start = now();
  const deadline = seconds * 1000;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (elapsedMs(start) < deadline) {
        const next = workload.next(w);
        const t = now();
        try {
          await target.append(next.streamId, next.events, next.metadata, next.expected);
          latencies.add(elapsedMs(t));
          events += next.events.length;
          appends += 1;
        } catch (error) {
          errors += 1;
          if (errors === 1) process.stderr.write(`${target.name} append failed: ${String(error)}\n`);
        }
      }
    }),
  );
  return { events, appends, errors, ms: elapsedMs(start) };
}

/**
 * Alternates the systems round by round (rotating who goes first), so drift in the machine (WAL,
 * autovacuum, caches) falls on all of them alike. A short untimed warm-up opens each one's connections.
 */
export async function compareAppends(
  targets: AppendTarget[],
  options: { writers: number; eventsPerAppend: number; rounds: number; secondsPerRound: number },
  log: (line: string) => void,
): Promise<AppendComparison> {
  const { writers, eventsPerAppend, rounds, secondsPerRound } = options;
  const workloads = new Map(targets.map((t) => [t.name, new Workload(writers, eventsPerAppend)]));
  const totals = new Map(
    targets.map((t) => [t.name, { events: 0, appends: 0, errors: 0, ms: 0, latencies: new Latencies() }]),
  );
  for (const target of targets) {
    await runRound(target, workloads.get(target.name)!, writers, 1, new Latencies());
  }
  for (let r = 0; r < rounds; r++) {
    const order = targets.map((_, i) => targets[(i + r) % targets.length]);
    for (const target of order) {
      const total = totals.get(target.name)!;
      const result = await runRound(
        target,
        workloads.get(target.name)!,
        writers,
        secondsPerRound,
        total.latencies,
      );
      total.events += result.events;
      total.appends += result.appends;
      total.errors += result.errors;
      total.ms += result.ms;
      log(
        `  append ×${eventsPerAppend} round ${r + 1}/${rounds} ${target.name.padEnd(11)} ` +
          `${Math.round((result.events * 1000) / result.ms)} events/s`,
      );
    }
  }
  const figures = (name: AppendTarget['name']): AppendFigures => {
    const t = totals.get(name)!;
    return {
      eventsPerSec: t.ms > 0 ? round((t.events * 1000) / t.ms) : 0,
      p50Ms: t.latencies.percentile(50),
      p99Ms: t.latencies.percentile(99),
      appends: t.appends,
      errors: t.errors,
    };
  };
  const names = new Set(targets.map((t) => t.name));
  const commands = names.has('ours');
  return {
    writers,
    eventsPerAppend,
    rounds,
    secondsPerRound,
    oursPath: commands ? PATHS.ours : PATHS.store,
    ours: figures(commands ? 'ours' : 'store'),
    ...(commands && names.has('store') ? { storeWithoutHooks: figures('store') } : {}),
    emmett: figures('emmett'),
    plainInsert: figures('plainInsert'),
  };
}
