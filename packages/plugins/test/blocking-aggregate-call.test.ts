// The blocking sandbox (sandbox/blocking-call.ts): aggregate `_init`/`_merge`/`_finalize` run in a
// worker the caller waits for synchronously. Its answers are the in-thread host's, byte for byte;
// a call that overruns its budget throws DEADLINE_EXCEEDED naming the plugin, the export and the
// budget, and the next call gets a fresh worker; traps and memory bombs arrive classified as the
// in-thread host classifies them. The worker runs the plugins package's dist: `npx tsc -b` first.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  BlockingAggregateSandbox,
  BUILD_DIR,
  instantiateAggregateUdf,
  verifyPlugin,
  type AggregateUdfInstance,
} from '@pushdown/plugins';
import { ErrorCode, type PushdownError } from '@pushdown/proto';
import {
  hostileAggregateManifest,
  hostileAggregateModule,
  type HostileBehaviour,
  type HostilePhase,
} from './aggregate-hostile-modules.js';
import { float64Column, rng } from './udf-random-batches.js';

const built = existsSync(join(import.meta.dirname, '../dist/sandbox/blocking-call-worker.js'));
const describeIfBuilt = built ? describe : describe.skip;
const BUDGET_MS = 100;
const GROUPS = 50;

let stats: AggregateUdfInstance;
let sandbox: BlockingAggregateSandbox;
const hostiles: BlockingAggregateSandbox[] = [];

/** Per-group states of var_welford after one random batch (seeded), from the in-thread host. */
function states(seed: number): Uint8Array {
  const rand = rng(seed);
  const rows = 400;
  const ids = Int32Array.from({ length: rows }, () => Math.floor(rand() * GROUPS));
  const col = float64Column(Float64Array.from({ length: rows }, () => rand() * 1000));
  return stats.update('var_welford', stats.init('var_welford', GROUPS), ids, [col], rows);
}

function hostile(phase: HostilePhase, behaviour: HostileBehaviour): BlockingAggregateSandbox {
  const fn = `h_${phase}_${behaviour}`;
  const bytes = hostileAggregateModule(fn, phase, behaviour);
  const manifest = hostileAggregateManifest(fn, bytes, { memoryPages: 16, timeBudgetMs: BUDGET_MS });
  const sb = new BlockingAggregateSandbox(new WebAssembly.Module(bytes), manifest);
  hostiles.push(sb);
  return sb;
}

/** What `call` threw (it must throw), and how long this thread was blocked in it. */
function failure(call: () => unknown): { err: PushdownError; ms: number } {
  const t0 = performance.now();
  try {
    call();
  } catch (err) {
    return { err: err as PushdownError, ms: performance.now() - t0 };
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  const v = await verifyPlugin(join(BUILD_DIR, 'stats.wasm'));
  stats = instantiateAggregateUdf(v.module, v.manifest);
  if (built) sandbox = new BlockingAggregateSandbox(v.module, v.manifest);
});

afterAll(() => {
  sandbox?.close();
  for (const sb of hostiles) sb.close();
});

describeIfBuilt('blocking aggregate sandbox', () => {
  it('answers exactly as the in-thread host', () => {
    const [a, b] = [states(1), states(2)];
    expect(sandbox.init('var_welford', GROUPS)).toEqual(stats.init('var_welford', GROUPS));
    const merged = sandbox.merge('var_welford', a, b);
    expect(merged).toEqual(stats.merge('var_welford', a, b));
    for (const fn of ['var_welford', 'stddev_welford']) {
      const want = stats.finalize(fn, merged);
      const got = sandbox.finalize(fn, merged);
      expect(got.type).toBe(want.type);
      // Compared as bytes: every bit of every float64, NaN payloads included.
      expect(new Uint8Array(got.values.buffer)).toEqual(new Uint8Array(want.values.buffer));
      expect(got.validity).toEqual(want.validity);
      expect(got.nullCount).toBe(want.nullCount);
    }
  });

  it('grows its shared buffer for states larger than the first one', () => {
    const many = new Uint8Array(20_000 * 24); // 20k var_welford states: well above the first 64 KiB
    many.set(states(3));
    expect(sandbox.merge('var_welford', many, many)).toEqual(stats.merge('var_welford', many, many));
  });

  it('measures the per-call overhead against the in-thread call', () => {
    const [a, b] = [states(4), states(5)];
    const time = (f: () => unknown, n: number) => {
      for (let i = 0; i < 50; i++) f(); // warm both paths
      const t0 = performance.now();
      for (let i = 0; i < n; i++) f();
      return ((performance.now() - t0) * 1000) / n;
    };
    const inThread = time(() => stats.merge('var_welford', a, b), 2000);
    const blocking = time(() => sandbox.merge('var_welford', a, b), 2000);
    console.log(
      `merge of ${GROUPS} var_welford states: in-thread ${inThread.toFixed(1)} µs, blocking sandbox ` +
        `${blocking.toFixed(1)} µs per call (+${(blocking - inThread).toFixed(1)} µs)`,
    );
    expect(sandbox.started).toBe(1); // one worker served every call so far
  });

  it.each(['merge', 'finalize'] as const)('an endless _%s is stopped at its budget', async (phase) => {
    const sb = hostile(phase, 'spin');
    const fn = `h_${phase}_spin`;
    const a = new Uint8Array(8 * 4);
    const call = () => (phase === 'merge' ? sb.merge(fn, a, a) : sb.finalize(fn, a));
    const { err, ms } = failure(call);
    expect(err.code).toBe(ErrorCode.DEADLINE_EXCEEDED);
    expect(err.message).toBe(
      `plugin "${fn}" function "${fn}_${phase}" exceeded its time budget of ${BUDGET_MS} ms; its sandbox ` +
        `worker was terminated and the query stopped (raise limits.timeBudgetMs of "${fn}" or aggregate fewer groups)`,
    );
    // By construction the caller waits out the whole budget before it gives up.
    expect(ms).toBeGreaterThanOrEqual(BUDGET_MS);
    // The init phase is inert: the replacement worker serves it, so the sandbox stays usable.
    expect(sb.init(fn, 3)).toEqual(new Uint8Array(24));
    expect(sb.started).toBe(2);
    await new Promise((r) => setTimeout(r, 200)); // let the terminate settle to print it
    const stop = sb.recentStops[0]!;
    console.log(
      `${stop.subject}: caller blocked ${ms.toFixed(1)} ms (budget ${BUDGET_MS} ms); worker gone ` +
        `${stop.pastDeadlineMs?.toFixed(1) ?? '(not yet)'} ms after the deadline`,
    );
  });

  it('a trap in _merge arrives as the classified plugin error, and the next call works', () => {
    const sb = hostile('merge', 'unreachable');
    const a = new Uint8Array(16);
    const { err } = failure(() => sb.merge('h_merge_unreachable', a, a));
    expect(err.code).toBe(ErrorCode.PLUGIN);
    expect(err.message).toMatch(
      /^plugin "h_merge_unreachable" function "h_merge_unreachable_merge" trapped: unreachable/,
    );
    expect(sb.init('h_merge_unreachable', 2)).toEqual(new Uint8Array(16));
    expect(sb.started).toBe(1); // a trap does not cost the worker
  });

  it('a memory bomb in _merge is RESOURCE_EXHAUSTED naming the cap', () => {
    const sb = hostile('merge', 'memory_bomb');
    const a = new Uint8Array(16);
    const { err } = failure(() => sb.merge('h_merge_memory_bomb', a, a));
    expect(err.code).toBe(ErrorCode.RESOURCES_EXHAUSTED);
    expect(err.message).toMatch(
      /^plugin "h_merge_memory_bomb" function "h_merge_memory_bomb_merge" exhausted its memory cap of 16 pages/,
    );
  });

  it('refuses malformed states before calling the plugin', () => {
    expect(() => sandbox.merge('var_welford', new Uint8Array(24), new Uint8Array(48))).toThrow(
      /merging 48 state bytes into 24/,
    );
    expect(() => sandbox.finalize('var_welford', new Uint8Array(10))).toThrow(
      /not a whole number of 24-byte states/,
    );
  });
});
