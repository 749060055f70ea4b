import { Decider } from '../shared/decider';
import { DomainError, FieldError } from '../shared/errors';
import { ALLOCATED_METRICS, AllocatedMetric, Quota, Share } from '../shared/figures';
import { invalid, isFigure, METRIC_LABELS, requireReason, sameFigures } from '../shared/validation';
import { AllocationCommand, PublishAllocation, SetSchoolShare, TransferQuota } from './allocation.commands';
import { AllocationEvent } from './allocation.events';

export interface AllocationState {
  status: 'draft' | 'published';
  /** Schools in the order they were first given a share. */
  schoolCodes: string[];
  shares: Record<string, Share>;
}

export const initialAllocationState = (): AllocationState => ({
  status: 'draft',
  schoolCodes: [],
  shares: {},
});

export const zeroShare = (): Share => ({ training: 0, certified: 0, onePlusX: 0 });

/** Splitting a task that was never assigned gives nothing to split: null counts as 0 here. */
export const shareOfQuota = (q: Quota): Share => ({
  training: q.training ?? 0,
  certified: q.certified ?? 0,
  onePlusX: q.onePlusX ?? 0,
});

export const sumShares = (shares: Share[]): Share =>
  shares.reduce(
    (sum, s) => ({
      training: sum.training + s.training,
      certified: sum.certified + s.certified,
      onePlusX: sum.onePlusX + s.onePlusX,
    }),
    zeroShare(),
  );

export const allocatedOf = (state: AllocationState): Share => sumShares(Object.values(state.shares));

function requireShare(input: unknown): Share {
  const source = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const errors: FieldError[] = ALLOCATED_METRICS.filter((m) => !isFigure(source[m])).map((m) => ({
    field: `share.${m}`,
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

function setShare({ data }: SetSchoolShare, state: AllocationState): AllocationEvent[] {
  if (state.status === 'published')
    throw new DomainError('ALLOCATION_PUBLISHED', '任务分解已发布，只能通过调剂修改');
  if (typeof data.schoolCode !== 'string' || data.schoolCode === '') throw invalid('缺少学校代码');
  const share = requireShare(data.share);
  const previous = state.shares[data.schoolCode] ?? null;
  if (previous && sameFigures(previous, share)) return [];

  const others = Object.entries(state.shares)
    .filter(([code]) => code !== data.schoolCode)
    .map(([, s]) => s);
  const sum = sumShares([...others, share]);
  const quota = shareOfQuota(data.regionQuota);
  const over = ALLOCATED_METRICS.filter((m) => sum[m] > quota[m]);
  if (over.length > 0) {
    throw new DomainError('ALLOCATION_EXCEEDS_QUOTA', `各校分解任务之和超过本地任务：${metricList(over)}`);
  }
  return [{ type: 'SchoolShareSet', data: { schoolCode: data.schoolCode, share, previous } }];
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
  if (!(ALLOCATED_METRICS as readonly string[]).includes(data.metric)) {
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
  for (const code of [data.from, data.to]) {
    if (!state.shares[code]) throw new DomainError('NOT_FOUND', `学校 ${code} 不在本地任务分解中`);
  }
  const reason = requireReason(data.reason);
  const held = state.shares[data.from][data.metric];
  if (data.amount > held) {
    throw new DomainError(
      'TRANSFER_EXCEEDS_SHARE',
      `调出学校的“${METRIC_LABELS[data.metric]}”只有 ${held}，不能调出 ${data.amount}`,
    );
  }
  const { from, to, metric, amount } = data;
  return [{ type: 'QuotaTransferred', data: { from, to, metric, amount, reason } }];
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
      case 'SchoolShareSet': {
        const { schoolCode, share } = event.data;
        const schoolCodes = state.shares[schoolCode] ? state.schoolCodes : [...state.schoolCodes, schoolCode];
        return { ...state, schoolCodes, shares: { ...state.shares, [schoolCode]: share } };
      }
      case 'AllocationPublished':
        return { ...state, status: 'published' };
      case 'QuotaTransferred': {
        const { from, to, metric, amount } = event.data;
        const source = state.shares[from];
        const target = state.shares[to];
        if (!source || !target) return state;
        return {
          ...state,
          shares: {
            ...state.shares,
            [from]: { ...source, [metric]: source[metric] - amount },
            [to]: { ...target, [metric]: target[metric] + amount },
          },
        };
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
    schools: state.schoolCodes.map((code) => ({ code, quota: state.shares[code] })),
  };
}
