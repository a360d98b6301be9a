/**
 * Preloaded into the servers tests start (serverProcess.ts): such a server exits when the test
 * process that started it is gone, however it went. A test process killed by a signal runs no
 * exit handler, and its servers lived on, orphaned, using a core the next run measured with.
 * Its stdin is a pipe from that process, which the system closes when the process ends.
 */
process.stdin.on("end", () => process.exit(70));
process.stdin.resume();
// The pipe alone never keeps the server running: it stops as it always does.
(process.stdin as unknown as { unref?: () => void }).unref?.();
