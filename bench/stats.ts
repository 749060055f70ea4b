/** Latencies in milliseconds, kept whole: a run has at most a few hundred thousand samples. */
export class Latencies {
  private readonly samples: number[] = [];

  add(ms: number): void {
    this.samples.push(ms);
  }

  addAll(other: Latencies): void {
    for (const s of other.samples) this.samples.push(s);
  }

  get count(): number {
    return this.samples.length;
  }

  /** Nearest-rank percentile, so p99 of 100 samples is the 99th smallest, never an interpolation. */
  percentile(p: number): number | null {
    if (this.samples.length === 0) return null;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
    return round(sorted[rank - 1], 2);
  }
}

export const round = (value: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export const elapsedMs = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

export const now = (): bigint => process.hrtime.bigint();

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
