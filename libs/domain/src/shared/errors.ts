/**
 * Stable error codes of the public contract (API.md). The HTTP layer maps each to a status;
 * the domain only says which rule was broken, in words a civil servant can read.
 */
export type DomainErrorCode =
  | 'NOT_FOUND'
  | 'INVALID_TRANSITION'
  | 'SAME_SIGNER'
  | 'ADVANCED_EXCEEDS_CERTIFIED'
  | 'PERIOD_NOT_OPEN'
  | 'PLAN_ALREADY_PUBLISHED'
  | 'PLAN_NOT_PUBLISHED'
  | 'ALLOCATION_EXCEEDS_QUOTA'
  | 'ALLOCATION_PUBLISHED'
  | 'ALLOCATION_NOT_PUBLISHED'
  | 'ALLOCATION_INCOMPLETE'
  | 'TRANSFER_EXCEEDS_SHARE'
  | 'SHARE_BELOW_ACHIEVED'
  | 'YEAR_CLOSED'
  | 'UNIT_CODE_TAKEN'
  | 'USERNAME_TAKEN'
  | 'REASON_REQUIRED'
  | 'SCAN_CONTENT_MISMATCH'
  | 'SCAN_LOCKED'
  | 'SCAN_REQUIRED'
  | 'VALIDATION_FAILED';

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    readonly detail: string,
    readonly errors?: FieldError[],
  ) {
    super(`${code}: ${detail}`);
    this.name = 'DomainError';
  }
}
