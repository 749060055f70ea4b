/**
 * Preloaded (`node --require`) into the api and worker the quickstart starts. Their stdin is a pipe
 * from the quickstart: when it closes, the quickstart is gone (even killed with SIGKILL), so the child
 * stops itself the normal way instead of running on against a database that no longer exists.
 */
if (!process.stdin.isTTY) {
  process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.resume();
  // The pipe must not keep the process alive on its own once the app has finished.
  (process.stdin as unknown as { unref?: () => void }).unref?.();
}
