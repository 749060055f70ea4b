import {
  type Decider,
  initialReportState,
  type ReportCommand,
  reportDecider,
  type ReportEvent,
  type ReportState,
} from '@app/domain';

/** The report's state plus what only its readers need: the return the filler is working on now. */
export interface ReportFold {
  report: ReportState;
  /**
   * The reason of the return the current draft answers; null once the report is submitted again, accepted
   * or amended (the decider keeps the last reason for good, which would show a stale one on an amendment).
   */
  returnReason: string | null;
  /** When that return was recorded (read from the stored event's envelope). */
  returnedAt: string | null;
}

const CLEARS_RETURN = new Set<string>(['ReportSubmitted', 'ReportAccepted', 'ReportAmendmentOpened']);

/**
 * The report decider, unchanged in what it decides and records, folding a little more for the view, so a
 * command can answer with the full view without reading its stream a second time.
 */
export const reportFoldDecider: Decider<ReportCommand, ReportFold, ReportEvent> = {
  initialState: () => ({ report: initialReportState(), returnReason: null, returnedAt: null }),
  decide: (command, state) => reportDecider.decide(command, state.report),
  evolve: (state, event) => {
    const report = reportDecider.evolve(state.report, event);
    if (event.type === 'ReportReturned' || event.type === 'ReportSignatureRefused') {
      const recordedAt = (event as { recordedAt?: string }).recordedAt ?? null;
      return { report, returnReason: event.data.reason, returnedAt: recordedAt };
    }
    if (CLEARS_RETURN.has(event.type)) return { report, returnReason: null, returnedAt: null };
    return { ...state, report };
  },
};

/**
 * A command's new state is folded from events before they are stored, without their recorded time: take
 * the return's time from the stored copy the append answered with.
 */
export function withStoredTimes(
  state: ReportFold,
  stored: { type: string; recordedAt: string }[],
): ReportFold {
  const returned = stored.findLast((e) => e.type === 'ReportReturned' || e.type === 'ReportSignatureRefused');
  return returned && state.returnReason !== null ? { ...state, returnedAt: returned.recordedAt } : state;
}
