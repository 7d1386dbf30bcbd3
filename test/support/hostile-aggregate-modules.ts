// Hostile aggregate-UDF plugins whose `_merge` or `_finalize` (the phases that run on a node's
// main thread) misbehave, installed into a plugin folder the way `pushdown plugins add` would
// (<name>/<name>.wasm + manifest.json with its hash). Plugin `x` exports one aggregate, `x`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  hostileAggregateManifest,
  hostileAggregateModule,
  type HostileBehaviour,
  type HostilePhase,
} from '../../packages/plugins/test/aggregate-hostile-modules.js';

export const MAIN_THREAD_BUDGET_MS = 100;

export const MAIN_THREAD_HOSTILES: Record<string, { phase: HostilePhase; behaviour: HostileBehaviour }> = {
  agg_merge_spin: { phase: 'merge', behaviour: 'spin' },
  agg_finalize_spin: { phase: 'finalize', behaviour: 'spin' },
  agg_merge_trap: { phase: 'merge', behaviour: 'unreachable' },
};

export function installMainThreadHostiles(dir: string): void {
  for (const [name, { phase, behaviour }] of Object.entries(MAIN_THREAD_HOSTILES)) {
    const bytes = hostileAggregateModule(name, phase, behaviour);
    const limits = { memoryPages: 16, timeBudgetMs: MAIN_THREAD_BUDGET_MS };
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, `${name}.wasm`), bytes);
    writeFileSync(
      join(dir, name, 'manifest.json'),
      JSON.stringify(hostileAggregateManifest(name, bytes, limits)),
    );
  }
}

/** The error a main-thread overrun of `export` of `plugin` ends its query with. */
export function mainThreadDeadlineMessage(plugin: string, phase: HostilePhase): string {
  return (
    `plugin "${plugin}" function "${plugin}_${phase}" exceeded its time budget of ${MAIN_THREAD_BUDGET_MS} ms; ` +
    `its sandbox worker was terminated and the query stopped ` +
    `(raise limits.timeBudgetMs of "${plugin}" or aggregate fewer groups)`
  );
}
