export class VersionConflictError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`stream ${streamId} is at version ${actual}, expected ${expected}`);
    this.name = 'VersionConflictError';
  }
}

/** Data the ledger refuses to store because it could not be hashed and read back exactly. */
export class UnstorableEventError extends Error {
  constructor(readonly reason: string) {
    super(`event cannot be stored exactly: ${reason}`);
    this.name = 'UnstorableEventError';
  }
}
