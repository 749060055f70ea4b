/**
 * The one clock of a process. Every domain rule is judged against this, never against `new Date()`,
 * so that drills (FAKE_NOW) and tests can move time for a whole process at once.
 */
export abstract class Clock {
  abstract now(): Date;
}

/** Real time, optionally shifted so that the process starts at FAKE_NOW and then runs on in real time. */
export class SystemClock extends Clock {
  private readonly offsetMs: number;

  constructor(fakeNow?: Date) {
    super();
    this.offsetMs = fakeNow ? fakeNow.getTime() - Date.now() : 0;
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

/** A clock that tests set and advance by hand. */
export class ManualClock extends Clock {
  constructor(private current: Date = new Date('2024-03-15T02:00:00.000Z')) {
    super();
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(instant: Date | string): void {
    this.current = new Date(instant);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
