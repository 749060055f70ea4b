/**
 * Starts a fixture once before the tests of the calling describe block and closes it after them, so that
 * files sharing a set-up share it whole rather than each copying the hooks. The object returned is filled
 * in before the first test: read its fields inside the tests, not while the block is being declared.
 */
export function oncePerBlock<T extends { close(): Promise<void> }>(
  start: () => Promise<T>,
  timeout?: number,
): T {
  const fixture = {} as T;
  beforeAll(async () => {
    Object.assign(fixture, await start());
  }, timeout);
  afterAll(() => fixture.close());
  return fixture;
}
