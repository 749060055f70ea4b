import { Decider } from '../shared/decider';
import { DomainError, FieldError } from '../shared/errors';
import { ALLOCATED_METRICS, AllocatedMetric, Quota, Share } from '../shared/figures';
import { invalid, isFigure, METRIC_LABELS, requireReason, sameFigures } from '../shared/validation';
import { AllocationCommand, PublishAllocation, SetSchoolShare, TransferQuota } from './allocation.commands';
import { AllocationEvent } from './allocation.events';

/**
 * Shares are keyed by school codes a client typed: a Map, never a plain object, so a code such as
 * `constructor` or `__proto__` is just another school and never reads or writes a prototype.
 */
export interface AllocationState {
  status: 'draft' | 'published';
  /** Schools in the order they were first given a share. */
  schoolCodes: string[];
  shares: ReadonlyMap<string, Share>;
}

export const initialAllocationState = (): AllocationState => ({
  status: 'draft',
  schoolCodes: [],
  shares: new Map(),
});

export const zeroShare = (): Share => ({ training: 0, certified: 0, onePlusX: 0 });

/** Splitting a task that was never assigned gives nothing to split: null counts as 0 here. */
export const shareOfQuota = (q: Quota): Share => ({
  training: q.training ?? 0,
  certified: q.certified ?? 0,
  onePlusX: q.onePlusX ?? 0,
});

export const sumShares = (shares: Iterable<Share>): Share => {
  const sum = zeroShare();
  for (const s of shares) for (const m of ALLOCATED_METRICS) sum[m] += s[m];
  return sum;
};

export const allocatedOf = (state: AllocationState): Share => sumShares(state.shares.values());

/** A school's share, or null when it has none: one own-entry lookup, whatever the code. */
export const shareOf = (state: AllocationState, schoolCode: string): Share | null =>
  state.shares.get(schoolCode) ?? null;

function requireShare(input: unknown, field = 'share'): Share {
  const source = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const errors: FieldError[] = ALLOCATED_METRICS.filter((m) => !isFigure(source[m])).map((m) => ({
    field: `${field}.${m}`,
    code: 'INVALID_FIGURE',
    message: `“${METRIC_LABELS[m]}”必须是 0 到 1000000000 的整数`,
  }));
  if (errors.length > 0) throw invalid('分解任务数不符合要求', errors);
  return {
    training: source.training as number,
    certified: source.certified as number,
    onePlusX: source.onePlusX as number,
  };
}

const metricList = (metrics: readonly AllocatedMetric[]) =>
  metrics.map((m) => `“${METRIC_LABELS[m]}”`).join('、');

function requireSchoolOfRegion(regionSchools: readonly string[], code: unknown, field: string): string {
  if (typeof code !== 'string' || code === '') {
    throw invalid('缺少学校代码', [{ field, code: 'REQUIRED', message: '缺少学校代码' }]);
  }
  if (!new Set(regionSchools).has(code)) {
    throw new DomainError('NOT_FOUND', `学校 ${code} 不是本地区登记的所属中职学校`);
  }
  return code;
}

/**
 * A share may shrink, but never below what the school has already achieved (its official cumulative):
 * a task below the achieved figure would rewrite a completed year. A share that was already below it
 * (the school outran its task) may still be raised.
 */
function refuseBelowAchieved(schoolCode: string, before: Share, after: Share, achieved: Share): void {
  const done = requireShare(achieved, 'achieved');
  const below = ALLOCATED_METRICS.filter((m) => after[m] < before[m] && after[m] < done[m]);
  if (below.length === 0) return;
  const list = below.map((m) => `“${METRIC_LABELS[m]}”已完成 ${done[m]}，调整后只有 ${after[m]}`).join('；');
  throw new DomainError('SHARE_BELOW_ACHIEVED', `学校 ${schoolCode} 的任务不能低于已完成数：${list}`);
}

function setShare({ data }: SetSchoolShare, state: AllocationState): AllocationEvent[] {
  const published = state.status === 'published';
  if (published && data.reason === undefined)
    throw new DomainError('ALLOCATION_PUBLISHED', '任务分解已发布，修改须填写原因');
  const schoolCode = requireSchoolOfRegion(data.regionSchools, data.schoolCode, 'schoolCode');
  const share = requireShare(data.share);
  const reason = published ? requireReason(data.reason) : undefined;
  const previous = shareOf(state, schoolCode);
  if (previous && sameFigures(previous, share)) return [];
  const others = [...state.shares].filter(([code]) => code !== schoolCode).map(([, s]) => s);
  const sum = sumShares([...others, share]);
  const quota = shareOfQuota(data.regionQuota);
  const over = ALLOCATED_METRICS.filter((m) => sum[m] > quota[m]);
  if (over.length > 0) {
    throw new DomainError('ALLOCATION_EXCEEDS_QUOTA', `各校分解任务之和超过本地任务：${metricList(over)}`);
  }
  refuseBelowAchieved(schoolCode, previous ?? zeroShare(), share, data.achieved);
  const event = { schoolCode, share, previous };
  return [{ type: 'SchoolShareSet', data: reason === undefined ? event : { ...event, reason } }];
}

function publish({ data }: PublishAllocation, state: AllocationState): AllocationEvent[] {
  if (state.status === 'published') throw new DomainError('ALLOCATION_PUBLISHED', '任务分解已发布');
  const allocated = allocatedOf(state);
  const quota = shareOfQuota(data.regionQuota);
  const open = ALLOCATED_METRICS.filter((m) => allocated[m] !== quota[m]);
  if (open.length > 0) {
    throw new DomainError('ALLOCATION_INCOMPLETE', `任务尚未分解完毕：${metricList(open)}`);
  }
  return [{ type: 'AllocationPublished', data: { allocated } }];
}

function transfer({ data }: TransferQuota, state: AllocationState): AllocationEvent[] {
  if (state.status !== 'published')
    throw new DomainError('ALLOCATION_NOT_PUBLISHED', '任务分解发布后才能调剂');
  if (!(ALLOCATED_METRICS as readonly unknown[]).includes(data.metric)) {
    throw invalid('调剂指标必须是 training、certified 或 onePlusX', [
      { field: 'metric', code: 'INVALID_METRIC', message: '调剂指标必须是 training、certified 或 onePlusX' },
    ]);
  }
  if (!isFigure(data.amount) || data.amount === 0) {
    throw invalid('调剂数量必须是正整数', [
      { field: 'amount', code: 'INVALID_FIGURE', message: '调剂数量必须是正整数' },
    ]);
  }
  if (data.from === data.to) {
    throw invalid('调出和调入学校不能相同', [
      { field: 'to', code: 'SAME_SCHOOL', message: '调出和调入学校不能相同' },
    ]);
  }
  const from = requireSchoolOfRegion(data.regionSchools, data.from, 'from');
  const to = requireSchoolOfRegion(data.regionSchools, data.to, 'to');
  const source = shareOf(state, from);
  if (!source) throw new DomainError('NOT_FOUND', `学校 ${from} 在本地任务分解中没有任务，不能调出`);
  const reason = requireReason(data.reason);
  const { metric, amount } = data;
  if (amount > source[metric]) {
    throw new DomainError(
      'TRANSFER_EXCEEDS_SHARE',
      `调出学校的“${METRIC_LABELS[metric]}”只有 ${source[metric]}，不能调出 ${amount}`,
    );
  }
  refuseBelowAchieved(from, source, { ...source, [metric]: source[metric] - amount }, data.achieved);
  return [{ type: 'QuotaTransferred', data: { from, to, metric, amount, reason } }];
}

function withShare(state: AllocationState, schoolCode: string, share: Share): AllocationState {
  const shares = new Map(state.shares).set(schoolCode, share);
  const schoolCodes = state.shares.has(schoolCode) ? state.schoolCodes : [...state.schoolCodes, schoolCode];
  return { ...state, schoolCodes, shares };
}

export const allocationDecider: Decider<AllocationCommand, AllocationState, AllocationEvent> = {
  initialState: initialAllocationState,

  decide(command, state) {
    switch (command.type) {
      case 'SetSchoolShare':
        return setShare(command, state);
      case 'PublishAllocation':
        return publish(command, state);
      case 'TransferQuota':
        return transfer(command, state);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'SchoolShareSet':
        return withShare(state, event.data.schoolCode, event.data.share);
      case 'AllocationPublished':
        return { ...state, status: 'published' };
      case 'QuotaTransferred': {
        const { from, to, metric, amount } = event.data;
        const source = shareOf(state, from);
        // A recorded transfer always came from a school holding a share; anything else moves nothing.
        if (!source || !(ALLOCATED_METRICS as readonly string[]).includes(metric)) return state;
        const target = shareOf(state, to) ?? zeroShare();
        const given = withShare(state, from, { ...source, [metric]: source[metric] - amount });
        return withShare(given, to, { ...target, [metric]: target[metric] + amount });
      }
      default:
        return state;
    }
  },
};

export interface AllocationView {
  status: AllocationState['status'];
  quota: Record<AllocatedMetric, number | null>;
  allocated: Share;
  remaining: Share;
  schools: { code: string; quota: Share }[];
}

/** What the region sees: its task (null stays "not assigned"), what it split, and what is left. */
export function allocationView(state: AllocationState, regionQuota: Quota): AllocationView {
  const allocated = allocatedOf(state);
  const total = shareOfQuota(regionQuota);
  return {
    status: state.status,
    quota: {
      training: regionQuota.training,
      certified: regionQuota.certified,
      onePlusX: regionQuota.onePlusX,
    },
    allocated,
    remaining: {
      training: total.training - allocated.training,
      certified: total.certified - allocated.certified,
      onePlusX: total.onePlusX - allocated.onePlusX,
    },
    schools: state.schoolCodes.map((code) => ({ code, quota: state.shares.get(code) ?? zeroShare() })),
  };
}
