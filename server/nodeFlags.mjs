/**
 * Node's flags for a Kiln server process: one rule for `npm start`, `dev` and `bench`, which
 * print them (`node server/nodeFlags.mjs`), and for the servers the tests and benches start
 * (server/testing/serverProcess.ts, playwright.config.ts).
 *
 * V8's background threads (its optimising compiler, the collector's helpers): Node's four, but
 * never more than the cores the main thread leaves. On two cores, four of them compiling a
 * warming server's code took the cores from its main thread: a create of 1000 took 220 ms, of
 * which the main thread ran 165; with one, 172 ms. A large machine keeps Node's four.
 */
import os from "node:os";

export const serverNodeFlags = [`--v8-pool-size=${Math.max(1, Math.min(4, os.availableParallelism() - 1))}`];

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) console.log(serverNodeFlags.join(" "));
