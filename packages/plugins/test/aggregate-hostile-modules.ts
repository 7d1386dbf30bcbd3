// Hand-assembled aggregate-UDF plugins (no wabt, and the AssemblyScript compiler is ESM-only,
// which jest's CJS transform cannot load): `<fn>(float64) -> float64` with stateBytes 8, whose
// four phase exports are inert except the one a test makes hostile. Used by the blocking-sandbox
// unit test and, through test/support/hostile-aggregate-modules.ts, by the SQL and process tests.
import { createHash } from 'node:crypto';
import type { PluginManifest } from '@pushdown/plugins';
import { HOSTILE_BODIES } from './sandbox-hostile-modules.js';

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const str = (s: string) => [...uleb(s.length), ...new TextEncoder().encode(s)];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

const END = 0x0b;
const LOCAL_GET = 0x20;

export type HostilePhase = 'merge' | 'finalize';
export type HostileBehaviour = 'spin' | 'unreachable' | 'memory_bomb';

// The signatures aggregate-udf-abi.ts gives a float64 -> float64 aggregate (all i32).
const PHASES = [
  { phase: 'init', params: 2, result: false },
  { phase: 'update', params: 5, result: false },
  { phase: 'merge', params: 3, result: false },
  { phase: 'finalize', params: 4, result: true },
] as const;

/**
 * Body of a hostile phase: the scalar suite's bodies (which end with an i32 on the stack) plus a
 * `drop` where the phase returns nothing. The inert finalize returns `groups` (all NULL).
 */
function body(phase: (typeof PHASES)[number], hostile: boolean, behaviour: HostileBehaviour): number[] {
  if (hostile) return [...HOSTILE_BODIES[behaviour], ...(phase.result ? [] : [0x1a])];
  return phase.result ? [LOCAL_GET, 1] : [];
}

/** The module of aggregate `fn` whose `phase` export behaves as `behaviour`. */
export function hostileAggregateModule(
  fn: string,
  phase: HostilePhase,
  behaviour: HostileBehaviour,
): Uint8Array {
  const types = PHASES.map((p) => [
    0x60,
    p.params,
    ...Array<number>(p.params).fill(0x7f),
    ...(p.result ? [1, 0x7f] : [0]),
  ]);
  const codes = PHASES.map((p) => {
    const code = [0, ...body(p, p.phase === phase, behaviour), END];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, vec([[...str('env'), ...str('memory'), 0x02, 0x00, 1]])),
    ...section(3, vec(PHASES.map((_, i) => [i]))),
    ...section(6, vec([[0x7f, 0x00, 0x41, 1, END]])),
    ...section(
      7,
      vec([...PHASES.map((p, i) => [...str(`${fn}_${p.phase}`), 0x00, i]), [...str('ABI_VERSION'), 0x03, 0]]),
    ),
    ...section(10, vec(codes)),
  ]);
}

/** The published manifest of plugin `fn` (one aggregate `fn`), its hash filled in. */
export function hostileAggregateManifest(
  fn: string,
  bytes: Uint8Array,
  limits: { memoryPages: number; timeBudgetMs: number },
): PluginManifest {
  return {
    name: fn,
    version: '0.1.0',
    abiVersion: 1,
    kind: 'aggregate-udf',
    exports: [{ name: fn, args: ['float64'], result: 'float64', stateBytes: 8 }],
    runsOn: ['base', 'intermediary'],
    limits,
    imports: ['env.memory'],
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
