import type { AppendComparison } from './append.bench';
import type { MonthEndFigures } from './month-end.bench';
import type { RebuildFigures } from './rebuild.bench';

export interface Goal {
  name: string;
  target: string;
  actual: string;
  met: boolean | null;
}

export interface Results {
  command: string;
  mode: 'quick' | 'full';
  startedAt: string;
  machine: Record<string, unknown>;
  append: AppendComparison | null;
  appendBatch10: AppendComparison | null;
  rebuild: RebuildFigures['rebuild'] | null;
  verify: RebuildFigures['verify'] | null;
  seed: RebuildFigures['seed'] | null;
  monthEnd: MonthEndFigures | null;
  notes: string[];
  goals: Goal[];
}

const n = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined
    ? '—'
    : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const times = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}×` : '—');
const mark = (met: boolean | null): string => (met === null ? '·' : met ? '✓' : '✗');

export function goals(r: Results): Goal[] {
  const list: Goal[] = [];
  if (r.append) {
    const { ours, emmett, plainInsert } = r.append;
    list.push({
      name: 'append vs Emmett (16 writers)',
      target: '≥ 2× Emmett',
      actual: times(ours.eventsPerSec, emmett.eventsPerSec),
      met: ours.eventsPerSec >= 2 * emmett.eventsPerSec,
    });
    list.push({
      name: 'append vs plain INSERT (16 writers)',
      target: '≥ 1× plain INSERT',
      actual: times(ours.eventsPerSec, plainInsert.eventsPerSec),
      met: ours.eventsPerSec >= plainInsert.eventsPerSec,
    });
  }
  if (r.rebuild)
    list.push({
      name: 'rebuild',
      target: '≥ 50,000 events/s',
      actual: `${n(r.rebuild.eventsPerSec)} events/s`,
      met: r.rebuild.eventsPerSec >= 50_000,
    });
  if (r.verify)
    list.push({
      name: 'verify',
      target: '≥ 200,000 events/s',
      actual: `${n(r.verify.eventsPerSec)} events/s`,
      met: r.verify.ok && r.verify.eventsPerSec >= 200_000,
    });
  if (r.monthEnd) {
    list.push({
      name: 'month-end p99',
      target: '≤ 150 ms, 0 errors',
      actual: `${n(r.monthEnd.p99Ms, 1)} ms, ${r.monthEnd.errors} errors`,
      met: (r.monthEnd.p99Ms ?? Infinity) <= 150 && r.monthEnd.errors === 0,
    });
    list.push({
      name: 'month-end throughput',
      target: '≥ 350 commands/s',
      actual: `${n(r.monthEnd.commandsPerSec)} commands/s`,
      met: r.monthEnd.commandsPerSec >= 350,
    });
    list.push({
      name: 'api peak RSS',
      target: '≤ 300 MB',
      actual: `${n(r.monthEnd.apiPeakRssMb)} MB`,
      met: r.monthEnd.apiPeakRssMb <= 300,
    });
  }
  return list;
}

/** The results as a Markdown table (it goes into the README as it is). */
export function table(r: Results): string {
  const g = new Map(r.goals.map((x) => [x.name, x]));
  const rows: string[][] = [];
  const appendRow = (label: string, c: AppendComparison | null, goalNames: string[]) => {
    if (!c) return;
    const fig = (f: { eventsPerSec: number; p50Ms: number | null; p99Ms: number | null }) =>
      `${n(f.eventsPerSec)} ev/s · p50 ${n(f.p50Ms, 1)} ms · p99 ${n(f.p99Ms, 1)} ms`;
    const shown = goalNames.map((name) => g.get(name)).filter((x): x is Goal => !!x);
    rows.push([
      label,
      fig(c.ours),
      fig(c.emmett),
      fig(c.plainInsert),
      shown.length ? shown.map((x) => x.target).join(', ') : '—',
      shown.length
        ? shown.map((x) => `${mark(x.met)} ${x.actual}`).join(', ')
        : `${times(c.ours.eventsPerSec, c.emmett.eventsPerSec)} Emmett`,
    ]);
  };
  appendRow(
    `Append as a command (CommandExecutor, hooks), ${r.append?.writers ?? 16} writers, 1 event each`,
    r.append,
    ['append vs Emmett (16 writers)', 'append vs plain INSERT (16 writers)'],
  );
  if (r.append?.storeWithoutHooks) {
    appendRow(
      `Extra: EventStore.append without a hook, ${r.append.writers} writers, 1 event each`,
      { ...r.append, ours: r.append.storeWithoutHooks },
      [],
    );
  }
  appendRow(
    `Extra: EventStore.append without a hook, ${r.appendBatch10?.writers ?? 16} writers, 10 events each`,
    r.appendBatch10,
    [],
  );
  if (r.rebuild) {
    const x = g.get('rebuild')!;
    rows.push([
      `Rebuild every projection (${n(r.rebuild.events)} events)`,
      `${n(r.rebuild.eventsPerSec)} ev/s`,
      '',
      '',
      x.target,
      mark(x.met),
    ]);
  }
  if (r.verify) {
    const x = g.get('verify')!;
    rows.push([
      `Verify the hash chain (${n(r.verify.events)} events)`,
      `${n(r.verify.eventsPerSec)} ev/s`,
      '',
      '',
      x.target,
      mark(x.met),
    ]);
  }
  if (r.monthEnd) {
    const m = r.monthEnd;
    const x = g.get('month-end p99')!;
    const rss = g.get('api peak RSS')!;
    const rate = g.get('month-end throughput');
    rows.push([
      `Month-end over HTTP, api + worker (${n(m.units)} units, ${n(m.commands)} commands, ${m.clients} clients)`,
      `${n(m.commandsPerSec)} cmd/s · p50 ${n(m.p50Ms, 1)} ms · p99 ${n(m.p99Ms, 1)} ms · ${m.errors} errors`,
      '',
      '',
      `${x.target}${rate ? `; ${rate.target}` : ''}`,
      `${mark(x.met)}${rate ? ` ${mark(rate.met)}` : ''}`,
    ]);
    rows.push([
      'CPU per command during the month-end: api · PostgreSQL · worker',
      `${n(m.apiCpuMsPerCommand, 2)} ms · ${n(m.postgresCpuMsPerCommand, 2)} ms · ${n(m.workerCpuMsPerCommand, 2)} ms`,
      '',
      '',
      '—',
      '·',
    ]);
    rows.push([
      'API peak RSS during the month-end',
      `${n(m.apiPeakRssMb)} MB`,
      '',
      '',
      rss.target,
      mark(rss.met),
    ]);
  } else {
    rows.push([
      'Month-end over HTTP',
      'not run (see notes)',
      '',
      '',
      'p99 ≤ 150 ms, 0 errors; RSS ≤ 300 MB',
      '·',
    ]);
  }
  const header = ['Benchmark', 'skills-ledger', 'Emmett 0.42', 'plain INSERT', 'Goal', 'Met'];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
