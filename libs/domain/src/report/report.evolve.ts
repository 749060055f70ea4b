// How each event changes a report (total: never throws, an unknown event changes nothing).
import { ReportEvent } from './report.events';
import { signedFormAfter } from './report-signed-form';
import { type ReportState } from './report.state';

const unsigned = { filler: null, leader: null };

export const evolveReport = (state: ReportState, event: ReportEvent): ReportState => ({
  ...evolveStatus(state, event),
  signedForm: signedFormAfter(state.signedForm, event),
});

function evolveStatus(state: ReportState, event: ReportEvent): ReportState {
  switch (event.type) {
    case 'ReportFiguresEntered':
      return {
        ...state,
        status: 'draft',
        revision: event.data.revision,
        figures: event.data.figures,
        note: event.data.note ?? null,
        signatures: unsigned,
      };
    case 'ReportSignedByFiller': {
      const { userId, name, phone, figuresHash, signedAt } = event.data;
      return {
        ...state,
        status: 'signed-by-filler',
        signatures: { filler: { userId, name, phone, figuresHash, signedAt }, leader: null },
      };
    }
    case 'ReportSubmitted': {
      const { revision, userId, name, signedAt } = event.data;
      return {
        ...state,
        status: 'submitted',
        signatures: { ...state.signatures, leader: { userId, name, signedAt } },
        submittedAt: signedAt,
        firstSubmittedAt: state.firstSubmittedAt ?? (revision === 1 ? signedAt : null),
      };
    }
    case 'ReportAccepted': {
      const { revision, figures, acceptedAt } = event.data;
      return {
        ...state,
        status: 'accepted',
        figures,
        official: { revision, figures, acceptedAt },
        officialScan: state.scan,
      };
    }
    case 'ReportReturned':
      return {
        ...state,
        status: 'draft',
        signatures: unsigned,
        returnReason: event.data.reason,
        scan: null,
      };
    case 'ReportSignatureRefused':
      return { ...state, status: 'draft', signatures: unsigned, returnReason: event.data.reason };
    case 'ReportAmendmentOpened':
      return {
        ...state,
        status: 'draft',
        revision: event.data.revision,
        figures: event.data.figures,
        signatures: unsigned,
        amendmentReason: event.data.reason,
        scan: null,
      };
    case 'ReportMarkedOverdue':
      return { ...state, overdue: true, overdueDeadline: event.data.deadline };
    case 'ReportScanAttached': {
      const official = state.status === 'accepted' && state.official?.revision === event.data.revision;
      return { ...state, scan: event.data, officialScan: official ? event.data : state.officialScan };
    }
    default:
      return state;
  }
}
