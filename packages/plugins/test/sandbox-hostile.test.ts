// The hostile-plugin suite: each hostile plugin ends only its own call, with a clear error, soon
// after it misbehaves (within 50 ms past its budget, measured from the call's start), while a
// well-behaved call on the same sandbox, started at the same moment, still succeeds.
// Runs against the build (workers load dist/sandbox/sandbox-worker.js): `npx tsc -b` first.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  DeadlineExceededError,
  ErrorCode,
  InvalidArgumentError,
  PluginError,
  ResourceExhaustedError,
  UnavailableError,
} from '@pushdown/proto';
import {
  BUILD_DIR,
  instantiateUdf,
  PluginSandbox,
  readWasmModuleInfo,
  verifyPlugin,
  type UdfColumn,
  type VerifiedPlugin,
} from '@pushdown/plugins';
import { HOSTILE_BODIES, hostileModule } from './sandbox-hostile-modules.js';
import { assemble, type TinyModule } from './wasm-assemble.js';

const BUDGET_MS = 100;
const SLACK_MS = 50;
const MEMORY_PAGES = 16;
const MAX_OUTPUT = 1 << 20;

let dir: string;
let sandbox: PluginSandbox;
let good: VerifiedPlugin;
const stopTimes: string[] = [];

function manifestFor(name: string, bytes: Uint8Array, sha256?: string): Record<string, unknown> {
  return {
    name,
    version: '0.1.0',
    abiVersion: 1,
    kind: 'scalar-udf',
    exports: [{ name: 'f', args: ['int32'], result: 'int32' }],
    runsOn: ['base'],
    limits: { memoryPages: MEMORY_PAGES, timeBudgetMs: BUDGET_MS },
    imports: ['env.memory'],
    sha256: sha256 ?? createHash('sha256').update(bytes).digest('hex'),
  };
}

function writePlugin(name: string, bytes: Uint8Array, sha256?: string): string {
  const d = join(dir, name);
  mkdirSync(d);
  writeFileSync(join(d, `${name}.wasm`), bytes);
  writeFileSync(join(d, 'manifest.json'), JSON.stringify(manifestFor(name, bytes, sha256)));
  return d;
}

/** A VerifiedPlugin made by hand, skipping verifyPlugin, to show the sandbox checks again. */
function forged(name: string, bytes: Uint8Array, sha256?: string): VerifiedPlugin {
  return {
    manifestPath: 'forged',
    wasmPath: 'forged',
    manifest: manifestFor(name, bytes, sha256) as unknown as VerifiedPlugin['manifest'],
    bytes,
    module: new WebAssembly.Module(bytes),
    info: readWasmModuleInfo(bytes, name),
  };
}

const goodValues = BigInt64Array.from({ length: 1000 }, (_, i) => BigInt(i) * 7919n - 3n);
const goodColumns: UdfColumn[] = [{ type: 'int64', values: goodValues }];

/** Starts a well-behaved hash64 call and checks it against the same call made in-process. */
async function wellBehavedCall(): Promise<void> {
  const want = instantiateUdf(good.module, good.manifest).call('hash64_int64', goodColumns, 1000);
  const got = await sandbox.call('hash64', 'hash64_int64', goodColumns, 1000);
  expect(got.values).toEqual(want.values);
  expect(got.nullCount).toBe(0);
}

/** Runs `start` beside a well-behaved call; returns the error and ms from start until it settled. */
async function hostileBesideGood(label: string, start: () => Promise<unknown>): Promise<[unknown, number]> {
  const t0 = performance.now();
  let ms = 0;
  const hostile = start().then(
    () => new Error('the hostile call succeeded'),
    (e: unknown) => e,
  );
  const settled = hostile.then((e) => ((ms = performance.now() - t0), e));
  const [err] = await Promise.all([settled, wellBehavedCall()]);
  stopTimes.push(`${label}: stopped after ${ms.toFixed(1)} ms (budget ${BUDGET_MS} ms)`);
  return [err, ms];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pushdown-sandbox-'));
  sandbox = new PluginSandbox({ threads: 2, maxOutputBytes: MAX_OUTPUT });
  good = await verifyPlugin(join(BUILD_DIR, 'hash64.wasm'));
  await sandbox.load(good);
  for (const [name, body] of Object.entries(HOSTILE_BODIES)) {
    await sandbox.load(await verifyPlugin(writePlugin(name, hostileModule(body))));
  }
  await wellBehavedCall(); // warm both the code paths and a worker
});

afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`sandbox hostile-suite stop times:\n  ${stopTimes.join('\n  ')}`);
});

const ints = (rows: number): UdfColumn[] => [{ type: 'int32', values: new Int32Array(rows) }];

interface RuntimeCase {
  plugin: keyof typeof HOSTILE_BODIES;
  rows: number;
  errorClass: new (message: string) => Error;
  code: string;
  message: string | RegExp;
}

const RUNTIME_CASES: RuntimeCase[] = [
  {
    plugin: 'spin',
    rows: 8,
    errorClass: DeadlineExceededError,
    code: ErrorCode.DEADLINE_EXCEEDED,
    message:
      `plugin "spin" function "f" exceeded its time budget of ${BUDGET_MS} ms; its worker was terminated ` +
      `(raise limits.timeBudgetMs of "spin" or call it on smaller batches)`,
  },
  {
    plugin: 'memory_bomb',
    rows: 8,
    errorClass: ResourceExhaustedError,
    code: ErrorCode.RESOURCES_EXHAUSTED,
    message:
      /^plugin "memory_bomb" function "f" exhausted its memory cap of 16 pages \(limits\.memoryPages\) and trapped: unreachable/,
  },
  {
    plugin: 'unreachable',
    rows: 8,
    errorClass: PluginError,
    code: ErrorCode.PLUGIN,
    message: /^plugin "unreachable" function "f" trapped: unreachable/,
  },
  {
    plugin: 'recurse',
    rows: 8,
    errorClass: ResourceExhaustedError,
    code: ErrorCode.RESOURCES_EXHAUSTED,
    message:
      'plugin "recurse" function "f" exhausted the stack (too deep a recursion) and trapped: Maximum call stack size exceeded',
  },
  {
    plugin: 'out_of_bounds',
    rows: 8,
    errorClass: PluginError,
    code: ErrorCode.PLUGIN,
    message: /^plugin "out_of_bounds" function "f" trapped: memory access out of bounds/,
  },
  {
    plugin: 'benign',
    rows: 1 << 20, // a 4 MiB int32 result against a 1 MiB maxOutputBytes
    errorClass: ResourceExhaustedError,
    code: ErrorCode.RESOURCES_EXHAUSTED,
    message:
      `plugin "benign" function "f" output of ${4 * (1 << 20) + (1 << 17)} bytes for ${1 << 20} rows is above ` +
      `the sandbox's maxOutputBytes of ${MAX_OUTPUT} (call it on smaller batches)`,
  },
];

describe('PluginSandbox against hostile plugins', () => {
  it.each(RUNTIME_CASES)('$plugin ends only its own call', async (c) => {
    const label = c.plugin === 'benign' ? 'huge output' : c.plugin;
    const [err, ms] = await hostileBesideGood(label, () => sandbox.call(c.plugin, 'f', ints(c.rows), c.rows));
    expect(err).toBeInstanceOf(c.errorClass);
    expect((err as PluginError).code).toBe(c.code);
    if (typeof c.message === 'string') expect((err as Error).message).toBe(c.message);
    else expect((err as Error).message).toMatch(c.message);
    if (c.plugin === 'spin') expect(ms).toBeGreaterThanOrEqual(BUDGET_MS - 1);
    expect(ms).toBeLessThanOrEqual(BUDGET_MS + SLACK_MS);
    // The pool is whole again (a terminated worker is replaced) and still serves calls.
    await wellBehavedCall();
    expect(sandbox.threads).toBe(2);
  });

  it('replaces an overrunning worker, and a per-call budget overrides the manifest', async () => {
    const t0 = performance.now();
    const calls = [1, 2, 3].map(() =>
      sandbox.call('spin', 'f', ints(1), 1, { timeBudgetMs: 30 }).catch((e: unknown) => e),
    );
    const errs = await Promise.all(calls);
    for (const e of errs) expect((e as Error).message).toMatch(/exceeded its time budget of 30 ms/);
    stopTimes.push(
      `3 × spin (30 ms budget, 2 threads): all stopped after ${(performance.now() - t0).toFixed(1)} ms`,
    );
    await wellBehavedCall();
    expect(sandbox.threads).toBe(2);
  });

  const ADMISSION_CASES: { label: string; bytes: () => Uint8Array; sha256?: string; message: RegExp }[] = [
    {
      label: 'an undeclared import',
      bytes: () =>
        assemble({
          functions: [{ name: 'f', params: 5 }],
          importFunctions: ['env.evil'],
        } satisfies TinyModule),
      message: /refused: it imports env\.evil \(function\), which manifest\.imports does not declare/,
    },
    {
      label: 'its own memory',
      bytes: () =>
        assemble({ importMemory: false, defineMemory: true, functions: [{ name: 'f', params: 5 }] }),
      message: /refused: it defines its own memory; plugins must import env\.memory from the host/,
    },
    {
      label: 'a hash that does not match',
      bytes: () => hostileModule(HOSTILE_BODIES.benign),
      sha256: 'f'.repeat(64),
      message: new RegExp(
        `refused: manifest\\.sha256 does not match the module \\(expected ${'f'.repeat(64)}, got [0-9a-f]{64}\\)`,
      ),
    },
  ];

  it.each(ADMISSION_CASES)('refuses a plugin with $label, at verify and at load', async (c) => {
    const name = `adm${ADMISSION_CASES.indexOf(c)}`;
    const bytes = c.bytes();
    const [fromDisk, ms] = await hostileBesideGood(`refused (${c.label})`, () =>
      verifyPlugin(writePlugin(name, bytes, c.sha256)),
    );
    expect(fromDisk).toBeInstanceOf(PluginError);
    expect((fromDisk as Error).message).toMatch(new RegExp(`^plugin "${name}" ${c.message.source}`));
    expect(ms).toBeLessThanOrEqual(BUDGET_MS + SLACK_MS);
    const [atLoad] = await hostileBesideGood(`refused at load (${c.label})`, () =>
      sandbox.load(forged(name, bytes, c.sha256)),
    );
    expect(atLoad).toBeInstanceOf(PluginError);
    expect((atLoad as Error).message).toMatch(new RegExp(`^plugin "${name}" ${c.message.source}`));
    await expect(sandbox.call(name, 'f', ints(1), 1)).rejects.toThrow(
      `plugin "${name}" is not loaded in this sandbox`,
    );
  });
});

describe('PluginSandbox options', () => {
  it('validates options with pinned messages', () => {
    expect(() => new PluginSandbox({ threads: 0 })).toThrow(
      new InvalidArgumentError('options.threads must be a positive integer no larger than 64'),
    );
    expect(() => new PluginSandbox({ thread: 2 } as never)).toThrow(
      'unknown sandbox option "thread"; known options: threads, maxOutputBytes',
    );
  });

  it('refuses calls after close', async () => {
    const s = new PluginSandbox({ threads: 1 });
    await s.close();
    await expect(s.call('hash64', 'hash64_int64', goodColumns, 1000)).rejects.toBeInstanceOf(
      UnavailableError,
    );
  });
});
