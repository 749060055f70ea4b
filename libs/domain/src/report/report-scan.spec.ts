import { figuresHash } from './report.rules';
import { Figures } from '../shared/figures';
import { actorOf, deciderSpec } from '../shared/testing';
import { ReviewReport } from './report.commands';
import { reportDecider } from './report.decider';
import { ReportEvent } from './report.events';
import { AttachScan, ReportScanAttached } from './report-scan';

const { given } = deciderSpec(reportDecider);

const filler = actorOf('filler', 'U01', 'u-filler');
const reviewer = actorOf('province-admin', 'province', 'u-admin');
const f1: Figures = { training: 600, certified: 500, advanced: 260, onePlusX: 90 };
const f2: Figures = { training: 650, certified: 520, advanced: 270, onePlusX: 95 };
const shaA = 'a'.repeat(64);
const shaB = 'b'.repeat(64);
const at = '2024-03-22T10:00:00.000Z';

const upload = (sha256 = shaA, more: Partial<AttachScan['data']> = {}): AttachScan => ({
  type: 'AttachScan',
  data: { sha256, contentType: 'image/png', bytes: 2048, ...more },
  at,
  actor: filler,
});
const attached = (sha256 = shaA, revision = 1): ReportScanAttached => ({
  type: 'ReportScanAttached',
  data: {
    revision,
    sha256,
    contentType: 'image/png',
    bytes: 2048,
    uploadedAt: at,
    uploadedBy: { userId: 'u-filler', username: 'u-filler' },
  },
});
const accept = (requireScan?: boolean): ReviewReport => ({
  type: 'ReviewReport',
  data: requireScan === undefined ? { decision: 'accept' } : { decision: 'accept', requireScan },
  at: '2024-03-25T02:00:00.000Z',
  actor: reviewer,
});

const draft = (revision = 1, figures = f1): ReportEvent[] => [
  { type: 'ReportFiguresEntered', data: { revision, figures } },
];
const signed = (revision = 1, figures = f1): ReportEvent[] => [
  ...draft(revision, figures),
  {
    type: 'ReportSignedByFiller',
    data: {
      revision,
      userId: 'u-filler',
      name: '张三',
      phone: '0371-69691788',
      figuresHash: figuresHash(figures),
      signedAt: '2024-03-20T02:00:00.000Z',
    },
  },
];
const submitted = (revision = 1, figures = f1): ReportEvent[] => [
  ...signed(revision, figures),
  {
    type: 'ReportSubmitted',
    data: { revision, userId: 'u-leader', name: '李四', signedAt: '2024-03-21T02:00:00.000Z' },
  },
];
const acceptedEvent = (revision = 1, figures = f1): ReportEvent => ({
  type: 'ReportAccepted',
  data: { revision, figures, acceptedAt: '2024-03-25T02:00:00.000Z' },
});
const amended: ReportEvent = {
  type: 'ReportAmendmentOpened',
  data: { revision: 2, figures: f2, reason: '补录漏报的培训' },
};

describe('report decider: the sealed form (AttachScan)', () => {
  it('records the scan of a submitted revision with its fingerprint, type, size and uploader', () => {
    given(submitted()).when(upload()).then([attached()]);
  });

  it('replaces the scan before acceptance with a new event (the first stays in the log)', () => {
    given([...submitted(), attached(shaA)])
      .when(upload(shaB))
      .then([attached(shaB)]);
  });

  it('records nothing when the same file comes again', () => {
    given([...submitted(), attached(shaA)])
      .when(upload(shaA))
      .thenNothing();
  });

  it('takes a scan for an accepted revision that has none, and makes it the official scan', () => {
    const events = [...submitted(), acceptedEvent()];
    given(events).when(upload()).then([attached()]);
    given([...events, attached()]).thenState((s) => {
      expect(s.status).toBe('accepted');
      expect(s.officialScan?.sha256).toBe(shaA);
    });
  });

  it('records nothing when the accepted scan comes again (a retry)', () => {
    given([...submitted(), attached(), acceptedEvent()])
      .when(upload(shaA))
      .thenNothing();
  });

  it('refuses to replace the scan of an accepted revision: SCAN_LOCKED (amend instead)', () => {
    given([...submitted(), attached(), acceptedEvent()])
      .when(upload(shaB))
      .thenThrows('SCAN_LOCKED');
    given([...submitted(), acceptedEvent(), attached()])
      .when(upload(shaB))
      .thenThrows('SCAN_LOCKED');
  });

  it('refuses a scan before the leader signed', () => {
    given([]).when(upload()).thenThrows('INVALID_TRANSITION');
    given(draft()).when(upload()).thenThrows('INVALID_TRANSITION');
    given(signed()).when(upload()).thenThrows('INVALID_TRANSITION');
  });

  it('refuses a scan while an amendment is being drafted, and takes one once it is submitted', () => {
    const official = [...submitted(), attached(), acceptedEvent()];
    given([...official, amended])
      .when(upload(shaB))
      .thenThrows('INVALID_TRANSITION');
    given([...official, amended, ...submitted(2, f2).slice(1)])
      .when(upload(shaB))
      .then([attached(shaB, 2)]);
  });

  it('refuses a malformed fingerprint, another type, an empty or oversized file', () => {
    given(submitted()).when(upload('xyz')).thenThrows('VALIDATION_FAILED');
    given(submitted())
      .when(upload(shaA, { contentType: 'image/gif' }))
      .thenThrows('VALIDATION_FAILED');
    given(submitted())
      .when(upload(shaA, { bytes: 0 }))
      .thenThrows('VALIDATION_FAILED');
    given(submitted())
      .when(upload(shaA, { bytes: 10 * 1024 * 1024 + 1 }))
      .thenThrows('VALIDATION_FAILED');
  });

  it('voids the scan with the signatures when the reviewer returns the report', () => {
    given([
      ...submitted(),
      attached(),
      { type: 'ReportReturned', data: { revision: 1, reason: '盖章不清晰' } },
    ]).thenState((s) => expect(s.scan).toBeNull());
  });

  it('keeps the official scan while an amendment is worked on, without a current one', () => {
    given([...submitted(), attached(), acceptedEvent(), amended]).thenState((s) => {
      expect(s.scan).toBeNull();
      expect(s.officialScan?.sha256).toBe(shaA);
    });
  });
});

describe('report decider: acceptance when the plan year requires the sealed form', () => {
  it('refuses to accept a revision without a scan: SCAN_REQUIRED', () => {
    given(submitted()).when(accept(true)).thenThrows('SCAN_REQUIRED');
  });

  it('accepts a revision with a scan', () => {
    given([...submitted(), attached()])
      .when(accept(true))
      .then([acceptedEvent()]);
  });

  it('needs a new scan after a return and a new submission', () => {
    const returnedAndResubmitted: ReportEvent[] = [
      ...submitted(),
      attached(),
      { type: 'ReportReturned', data: { revision: 1, reason: '盖章不清晰' } },
      ...submitted().slice(1),
    ];
    given(returnedAndResubmitted).when(accept(true)).thenThrows('SCAN_REQUIRED');
  });

  it('accepts without a scan while the setting is off', () => {
    given(submitted()).when(accept(false)).then([acceptedEvent()]);
    given(submitted()).when(accept()).then([acceptedEvent()]);
  });
});
