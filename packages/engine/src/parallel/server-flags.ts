/**
 * V8 flags the server processes (base nodes, the intermediary) run with. A weak node's CPU
 * budget is what its scan workers are sized by; V8's parallel and concurrent garbage collector
 * helper threads would run beside them on the same cores, unaccounted. Measured on the 2-core
 * machine (lineitem SF 1, best of 5, `npm run bench:parallel`, same session):
 *
 *   flags                  Q6 Parquet serial/1w/2w   Q6 CSV serial/1w/2w
 *   (default)              351 / 370 / 309 ms        4329 / 3906 / 2622 ms
 *   --single-threaded-gc   349 / 390 / 259 ms        3384 / 3295 / 1871 ms
 *
 * and two independent serial Q6 scans in two processes ran 1.64x slower each with the default
 * GC but at full speed with one GC thread each: a "serial" scan quietly used the second core.
 * So every server process collects garbage on the thread that made it.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--single-threaded-gc'];
