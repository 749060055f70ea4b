import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { migrate } from '@app/platform/database';
import { MIGRATIONS } from '../migrations';
import { compareAppends } from './append.bench';
import {
  type AppendTarget,
  commandTarget,
  emmettTarget,
  plainInsertTarget,
  storeTarget,
} from './append-targets';
import { BenchDatabases, dropStaleDatabases, serverVersion } from './databases';
import { monthEnd } from './month-end.bench';
import { rebuildAndVerify } from './rebuild.bench';
import { goals, type Results, table } from './report';

const SECTIONS = ['append', 'rebuild', 'month-end'] as const;
type Section = (typeof SECTIONS)[number];

interface Options {
  quick: boolean;
  only: Set<Section>;
  writers: number;
  rounds: number;
  secondsPerRound: number;
  rebuildEvents: number;
  schools: number;
  clients: number;
}

function parseArgs(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const only = argv.find((a) => a.startsWith('--only='));
  const schools = argv.find((a) => a.startsWith('--schools='));
  const sections = only ? (only.slice('--only='.length).split(',') as Section[]) : [...SECTIONS];
  for (const s of sections)
    if (!SECTIONS.includes(s)) throw new Error(`unknown section ${s}: ${SECTIONS.join(', ')}`);
  return {
    quick,
    only: new Set(sections),
    writers: 16,
    rounds: quick ? 2 : 5,
    secondsPerRound: quick ? 4 : 10,
    rebuildEvents: quick ? 50_000 : 200_000,
    // The month-end of the 151 plan units (the burst); --schools=N adds N city schools to it.
    schools: schools ? Number(schools.slice('--schools='.length)) : 0,
    clients: 32,
  };
}

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const stamp = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const databases = new BenchDatabases(stamp);
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await databases.dropAll();
    await dropRedisKeys(redisUrl, `bench_${stamp}:*`).catch(() => undefined);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`\n${signal}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  const results: Results = {
    command: `npm run bench${options.quick ? ' -- --quick' : ''}`,
    mode: options.quick ? 'quick' : 'full',
    startedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      kernel: release(),
      node: process.version,
      postgres: await serverVersion(),
      // Other work on the machine moves every figure here: the load before and after says how quiet it was.
      loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
    },
    append: null,
    appendBatch10: null,
    rebuild: null,
    verify: null,
    seed: null,
    monthEnd: null,
    notes: [],
    goals: [],
  };
  log(`skills-ledger benchmark (${results.mode}), run ${stamp}`);
  const started = Date.now();
  try {
    await dropStaleDatabases();
    if (options.only.has('append')) {
      const ours = await databases.create();
      await migrate(ours.url, MIGRATIONS);
      const store = await databases.create('store');
      await migrate(store.url, MIGRATIONS);
      const emmett = await databases.create('emmett');
      const plain = await databases.create('plain');
      const commands = await commandTarget(ours.url);
      const targets: AppendTarget[] = [
        await storeTarget(store.url),
        await emmettTarget(emmett.url, options.writers),
        await plainInsertTarget(plain.url, options.writers),
      ];
      try {
        for (const eventsPerAppend of [1, 10]) {
          // A command records one event; ten per append is the store's API alone.
          const path =
            eventsPerAppend === 1 ? 'commands (CommandExecutor) and the store alone' : 'the store alone';
          log(`append: ${options.writers} writers, ${eventsPerAppend} event(s) per append, ours = ${path}`);
          const comparison = await compareAppends(
            eventsPerAppend === 1 ? [commands, ...targets] : targets,
            {
              writers: options.writers,
              eventsPerAppend,
              rounds: options.rounds,
              secondsPerRound: options.secondsPerRound,
            },
            log,
          );
          if (eventsPerAppend === 1) results.append = comparison;
          else results.appendBatch10 = comparison;
        }
      } finally {
        for (const t of [commands, ...targets]) await t.close();
      }
      for (const d of [ours, store, emmett, plain]) await databases.drop(d.name);
    }
    if (options.only.has('rebuild')) {
      log(`rebuild and verify: ${options.rebuildEvents.toLocaleString('en-US')} events`);
      const ledger = await databases.create('ledger');
      await migrate(ledger.url, MIGRATIONS);
      const figures = await rebuildAndVerify(ledger.url, options.rebuildEvents, log);
      results.seed = figures.seed;
      results.rebuild = figures.rebuild;
      results.verify = figures.verify;
      await databases.drop(ledger.name);
    }
    if (options.only.has('month-end')) {
      log(`month-end: 151 plan units + ${options.schools} schools, ${options.clients} clients, api + worker`);
      const api = await databases.create('api');
      await migrate(api.url, MIGRATIONS);
      const outcome = await monthEnd({
        url: api.url,
        schools: options.schools,
        clients: options.clients,
        stamp,
        redisUrl,
        log,
      });
      if ('skipped' in outcome) {
        results.notes.push(`monthEnd not measured: ${outcome.skipped}`);
        log(`  skipped: ${outcome.skipped}`);
      } else {
        results.monthEnd = outcome;
      }
      await databases.drop(api.name);
    }
  } finally {
    await cleanup();
  }

  results.machine.loadAverageAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);
  results.goals = goals(results);
  const seconds = Math.round((Date.now() - started) / 1000);
  results.notes.push(`took ${seconds} s`);
  const out = resolve(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  log('');
  log(table(results));
  log(
    `\nload average (1, 5, 15 min) at start ${results.machine.loadAverageAtStart}, at end ${results.machine.loadAverageAtEnd}`,
  );
  log('');
  for (const g of results.goals) log(`${g.met ? '✓' : '✗'} ${g.name}: ${g.actual} (goal ${g.target})`);
  for (const note of results.notes) log(`note: ${note}`);
  log(`\nwritten bench/results/latest.json (${seconds} s)`);
}

async function dropRedisKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`benchmark failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
