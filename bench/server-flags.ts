/**
 * Benches measure scans the way server processes run them: under SERVER_NODE_FLAGS (one GC
 * thread, see packages/engine/src/parallel/server-flags.ts). Otherwise a "one core" scan would
 * quietly collect garbage on the second core, which a node with a one-core budget does not have.
 * `BENCH_NODE_FLAGS=default` measures with V8's defaults instead.
 */
import { spawnSync } from 'node:child_process';
import { SERVER_NODE_FLAGS } from '@pushdown/engine';

/**
 * True when this process already runs as it should; otherwise runs this very script again under
 * the flags (same arguments and environment), takes over its exit code, and returns false.
 */
export function underServerFlags(): boolean {
  if (process.env.BENCH_NODE_FLAGS === 'default') return true;
  if (SERVER_NODE_FLAGS.every((f) => process.execArgv.includes(f))) return true;
  const r = spawnSync(
    process.execPath,
    [...SERVER_NODE_FLAGS, ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
    },
  );
  process.exitCode = r.status ?? 1;
  return false;
}

/** How this process's node runs, for bench headers. */
export function nodeFlagsNote(): string {
  return `node ${process.execArgv.join(' ') || '(default flags)'}`;
}
