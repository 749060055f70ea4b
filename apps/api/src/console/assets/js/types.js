// @ts-check
// The shapes the console reads from the API (API.md; the server's own types are named beside each) and
// the context every view is given. Types only: nothing here runs, and no module imports this file at run
// time (JSDoc `import('./types.js')` is erased), so it costs the browser nothing.

/** @typedef {'training' | 'certified' | 'advanced' | 'onePlusX'} Metric */
/**
 * The metrics a region splits among its schools (`advanced` is never assigned to them).
 * @typedef {'training' | 'certified' | 'onePlusX'} SplitMetric
 */
/** @typedef {Record<Metric, number>} Figures */
/**
 * A task per metric; null where none is assigned ("—").
 * @typedef {Record<Metric, number | null>} Quota
 */
/** @typedef {Record<Metric, number | null>} Rates */
/** @typedef {'not-started' | 'draft' | 'signed-by-filler' | 'submitted' | 'accepted'} ReportStatus */
/** @typedef {'pending' | 'on-time' | 'late' | 'missing' | 'not-owed'} Timeliness */
/** @typedef {'province-admin' | 'auditor' | 'region-operator' | 'filler' | 'leader'} Role */
/** @typedef {'region' | 'undergraduate' | 'higher-vocational' | 'provincial-secondary' | 'city-secondary'} UnitKind */

/**
 * `GET /api/v1/auth/me`.
 * @typedef {{ username: string, displayName: string, role: Role, unitCode: string }} Me
 */

/**
 * `GET /api/v1/console/context` (apps/api/src/console/console-context.ts).
 * @typedef {object} ConsoleContext
 * @property {string} now
 * @property {number} year
 * @property {string} period
 * @property {number[]} [years]
 * @property {number[]} [closedYears]
 */

/**
 * `GET /api/v1/units/{code}` and the rows of `GET /api/v1/units`.
 * @typedef {{ code: string, name: string, kind: UnitKind, parentCode?: string | null }} Unit
 */

/**
 * `GET /api/v1/plans/{year}`.
 * @typedef {{ year: number, version: number, units: (Unit & { quota: Quota })[] }} Plan
 */

/**
 * `PUT /api/v1/plans/{year}`.
 * @typedef {{ year: number, version: number, units: number, totals: Quota }} PlanImport
 */

/** @typedef {{ code: string, message: string }} ReportWarning */
/** @typedef {{ status: string, sentAt?: string | null }} ScanDelivery */
/**
 * The sealed form's fingerprint (ScanView in libs/application/src/reports/report-view.ts).
 * @typedef {object} Scan
 * @property {string} sha256
 * @property {string} contentType
 * @property {number} bytes
 * @property {string} uploadedAt
 * @property {string} uploadedBy
 * @property {ScanDelivery | null} [delivery]
 */

/**
 * @typedef {object} Signatures
 * @property {{ name: string, phone: string, signedAt: string } | null} filler
 * @property {{ name: string, signedAt: string } | null} leader
 */

/**
 * `GET /api/v1/units/{code}/reports/{period}` (ReportView in libs/application/src/reports/report-view.ts).
 * @typedef {object} Report
 * @property {string} unitCode
 * @property {string} [unitName]
 * @property {string} period
 * @property {number} version
 * @property {number} revision
 * @property {ReportStatus} status
 * @property {Figures | null} figures
 * @property {string | null} [note]
 * @property {{ revision: number, figures: Figures, acceptedAt: string, scan?: Scan | null } | null} official
 * @property {Figures} cumulative
 * @property {Quota} annual
 * @property {Rates} rate
 * @property {Signatures} signatures
 * @property {string | null} submittedAt
 * @property {string} deadline
 * @property {Timeliness} timeliness
 * @property {ReportWarning[]} warnings
 * @property {string | null} [returnReason]
 * @property {string | null} [returnedAt]
 * @property {Figures | null} [schoolsSum] a region's schools' official figures of the month
 * @property {{ annual: Quota } | null} [signedForm] the form as the leader signed it
 * @property {string[]} [pendingEarlier]
 * @property {Scan | null} [scan]
 */

/**
 * A month the plan does not hold for this unit (the report answers 404).
 * @typedef {{ period: string, missingPlan: true }} MissingMonth
 */
/** @typedef {Report & { missingPlan?: undefined }} PlannedMonth */
/**
 * One month of a unit's year, as months.js loads them.
 * @typedef {PlannedMonth | MissingMonth} Month
 */

/**
 * A row of `GET /api/v1/plans/{year}/progress` (ProgressRow in libs/application/src/reports/progress.query.ts).
 * @typedef {object} ProgressRow
 * @property {string} code
 * @property {string} name
 * @property {UnitKind} kind
 * @property {Quota} annual
 * @property {Figures | null} month
 * @property {Figures} cumulative
 * @property {Rates} rate
 * @property {ReportStatus} status
 * @property {Timeliness} timeliness
 * @property {string | null} submittedAt
 * @property {Figures | null} [schoolsSum]
 */

/**
 * @typedef {object} Progress
 * @property {string} period
 * @property {{ annual: Quota, month: Figures, cumulative: Figures, rate: Rates }} totals
 * @property {ProgressRow[]} units
 * @property {{ lag: number } | null} [projection]
 */

/** @typedef {{ onTime: number, late: number, missing: number, pending: number, notOwed?: number }} TimelinessCounts */
/**
 * `GET /api/v1/plans/{year}/timeliness`.
 * @typedef {object} TimelinessReport
 * @property {string} deadline
 * @property {TimelinessCounts} counts
 * @property {{ code: string, name?: string, timeliness: Timeliness, submittedAt: string | null }[]} units
 */

/** @typedef {{ code: string, reported: number | null, platform: number | null, difference: number | null }} Difference */
/**
 * `GET /api/v1/plans/{year}/reconciliation`.
 * @typedef {{ period: string, units: Difference[] }} Reconciliation
 */

/** @typedef {Record<SplitMetric, number>} Share */
/**
 * `GET /api/v1/plans/{year}/regions/{code}/allocation`.
 * @typedef {object} Allocation
 * @property {'draft' | 'published'} status
 * @property {Share} quota
 * @property {Share} allocated
 * @property {{ code: string, name: string, quota: Share }[]} schools
 */

/** @typedef {{ username: string, displayName: string, role: Role, unitCode: string, disabled?: boolean }} User */

/**
 * A report event's data as the history shows it; every field is optional because each event type
 * carries its own (libs/domain/src/report/report.events.ts).
 * @typedef {object} EventData
 * @property {number} [revision]
 * @property {Figures} [figures]
 * @property {string} [reason]
 * @property {string} [note]
 * @property {string} [name]
 * @property {string} [phone]
 * @property {string} [deadline]
 * @property {string} [sha256]
 * @property {string} [contentType]
 * @property {number} [bytes]
 */
/**
 * One line of `GET .../history` (HistoryEntry in libs/application/src/audit/stream-history.ts).
 * @typedef {{ position: number, type: string, recordedAt: string, actor: string | null, role: Role | null, data: EventData | null }} HistoryEntry
 */

/** @typedef {{ actor: string | null, at: string }} Who */
/**
 * @typedef {object} RevisionSummary
 * @property {number} revision
 * @property {Figures} figures
 * @property {string | null} reason
 * @property {Who} openedBy
 * @property {Who | null} accepted
 * @property {(Who & { reason: string })[]} returns
 */
/**
 * `GET .../diff` (ReportDiff in libs/application/src/reports/report-history.ts).
 * @typedef {{ from: RevisionSummary, to: RevisionSummary, changes: { metric: Metric, label: string, from: number, to: number, delta: number }[] }} ReportDiff
 */

/**
 * `POST /api/v1/audit/verifications` (LedgerVerification in libs/application/src/audit/ledger-verification.ts).
 * @typedef {object} Verification
 * @property {boolean} ok
 * @property {number} checked
 * @property {{ position: number, hash: string } | null} head
 * @property {{ position: number, reason: string, detail?: string } | null} firstInvalid
 * @property {{ total: number, trusted: number, signatures: 'trusted-key' | 'embedded-key' }} [checkpoints]
 */

/**
 * What the shell knows after login (main.js).
 * @typedef {object} Shell
 * @property {Me} me
 * @property {ConsoleContext} context
 * @property {number} year the year every page shows until the selector changes it
 * @property {{ code: string, name: string }} unit the user's unit (its code when the name could not be read)
 */

/**
 * The route's query (`#/view?period=…`), as text.
 * @typedef {Record<string, string | undefined>} Params
 */

/**
 * What every view's `render(root, ctx)` is given.
 * @typedef {Shell & {
 *   params: Params,
 *   closed: boolean,
 *   go: (params: Params) => void,
 *   goto: (id: string, params?: Params) => void,
 * }} ViewContext
 */

/**
 * A view module, loaded when its page is first opened.
 * @typedef {{ render: (root: HTMLElement, ctx: ViewContext) => Promise<void> }} ViewModule
 */

export {};
