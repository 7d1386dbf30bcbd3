/**
 * The operator host: module admission (hand-assembled binaries that break the ABI are refused
 * with a PluginError that says why), traps become ExecutionErrors naming the operator, the
 * memory cap becomes a ResourceExhaustedError, and the kernels agree with plain JS at the SIMD
 * width boundaries.
 */
import { ExecutionError, PluginError, ResourceExhaustedError } from '@pushdown/proto';
import { operatorManifest, type OperatorManifest } from '@pushdown/plugins';
import { FilterOperator } from '../src/exec/index.js';
import { bin, col, lit } from '../src/plan/expr.js';
import {
  ABI_VERSION,
  admitModule,
  CMP,
  defaultOperatorHost,
  loadOperatorModule,
  OperatorHost,
  readModuleLayout,
} from '../src/wasm/index.js';
import { makeTestBatch, rng } from './exec-reference.js';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const str = (s: string) => [s.length, ...Buffer.from(s)];
const section = (id: number, body: number[]) => [id, body.length, ...body];
const importMemory = [...str('env'), ...str('memory'), 0x02, 0x00, 0x01];
const exportGlobal = (name: string) => [...str(name), 0x03, 0x00];
// (global i32 (i32.const 1)) exported as ABI_VERSION
const abiGlobal = section(6, [0x01, 0x7f, 0x00, 0x41, 0x01, 0x0b]);

const manifest = (over: Partial<OperatorManifest> = {}): OperatorManifest => ({
  name: 'test',
  version: '0.0.0',
  abiVersion: ABI_VERSION,
  kind: 'operator',
  exports: ['ABI_VERSION'],
  runsOn: ['base'],
  limits: { memoryPages: 16, timeBudgetMs: 1000 },
  imports: ['env.memory'],
  sha256: '',
  ...over,
});

const bytes = (...parts: number[][]) => Uint8Array.from([...HEADER, ...parts.flat()]);

describe('module admission', () => {
  test('a well-formed minimal module is admitted', () => {
    const ok = bytes(
      section(2, [0x01, ...importMemory]),
      abiGlobal,
      section(7, [0x01, ...exportGlobal('ABI_VERSION')]),
    );
    expect(admitModule('ok', ok, manifest()).name).toBe('ok');
  });

  test.each<[string, Uint8Array, Partial<OperatorManifest>, RegExp]>([
    ['defines its own memory', bytes(section(5, [0x01, 0x00, 0x01])), {}, /defines its own memory/],
    [
      'imports something undeclared',
      bytes(section(2, [0x02, ...importMemory, ...str('env'), ...str('secret'), 0x03, 0x7f, 0x00])),
      {},
      /imports env.secret \(global\), which its manifest does not declare/,
    ],
    [
      're-exports its memory',
      bytes(section(2, [0x01, ...importMemory]), section(7, [0x01, ...str('memory'), 0x02, 0x00])),
      {},
      /exports a memory/,
    ],
    [
      'imports no memory',
      bytes(abiGlobal, section(7, [0x01, ...exportGlobal('ABI_VERSION')])),
      { imports: [] },
      /does not import env.memory/,
    ],
    [
      'static data above the arena',
      bytes(
        section(2, [0x01, ...importMemory]),
        section(11, [0x01, 0x00, 0x41, 0xf0, 0xa2, 0x04, 0x0b, 0x01, 0x2a]),
      ),
      {},
      /static data ends at byte 70001/,
    ],
    [
      'a manifest export that is missing',
      bytes(
        section(2, [0x01, ...importMemory]),
        abiGlobal,
        section(7, [0x01, ...exportGlobal('ABI_VERSION')]),
      ),
      { exports: ['ABI_VERSION', 'filter_rows'] },
      /lists export "filter_rows"/,
    ],
    ['another ABI version', bytes(section(2, [0x01, ...importMemory])), { abiVersion: 99 }, /abiVersion 99/],
    ['not WebAssembly', Uint8Array.from([1, 2, 3, 4]), {}, /does not compile/],
  ])('refuses a module that %s', (_n, wasm, over, message) => {
    expect(() => admitModule('bad', wasm, manifest(over))).toThrow(PluginError);
    expect(() => admitModule('bad', wasm, manifest(over))).toThrow(message);
  });

  test('built-in operators pass admission and keep static data below the arena', () => {
    for (const name of ['filter', 'project', 'aggregate']) {
      const m = loadOperatorModule(name);
      expect(m.manifest.imports).toEqual(['env.memory']);
      expect(WebAssembly.Module.imports(m.module)).toEqual([
        { module: 'env', name: 'memory', kind: 'memory' },
      ]);
      expect(loadOperatorModule(name)).toBe(m); // compiled once per process
      expect(operatorManifest(name).runsOn).toEqual(['base', 'intermediary']);
    }
    expect(readModuleLayout('x', bytes(section(5, [0x01, 0x00, 0x01]))).definedMemories).toBe(1);
  });
});

describe('faults', () => {
  test('a trap becomes an ExecutionError naming the operator', () => {
    const host = defaultOperatorHost();
    expect(() => host.filter.mask_count(0x7fff_fff0, 1000)).toThrow(ExecutionError);
    expect(() => host.aggregate.sum_f64(0x7fff_fff0, 0, 1000)).toThrow(
      /WASM operator "aggregate" trapped in sum_f64/,
    );
  });

  test('hitting the memory cap is a ResourceExhaustedError naming operator and cap', () => {
    const host = new OperatorHost({ memoryPages: 4 });
    const r = rng(1);
    const rows = Array.from({ length: 60_000 }, () => [r(), r()]);
    const batch = makeTestBatch(
      [
        { name: 'a', type: 'float64' },
        { name: 'b', type: 'float64' },
      ],
      rows,
    );
    const op = new FilterOperator(bin('<', col('a'), col('b')), host);
    expect(() => op.apply(batch)).toThrow(ResourceExhaustedError);
    expect(() => op.apply(batch)).toThrow(/"filter" needs .* cap of 4 pages \(0.25 MiB\)/);
    // The arena was released: a small batch still runs on the same host.
    const small = makeTestBatch(
      [
        { name: 'a', type: 'float64' },
        { name: 'b', type: 'float64' },
      ],
      rows.slice(0, 100),
    );
    expect(op.apply(small).numRows).toBe(rows.slice(0, 100).filter(([a, b]) => a! < b!).length);
  });

  test('options.memoryPages is validated', () => {
    expect(() => new OperatorHost({ memoryPages: 1 })).toThrow(
      /options.memoryPages must be an integer in \[2, 65536\]/,
    );
  });
});

describe('kernels at SIMD width boundaries', () => {
  const host = defaultOperatorHost();
  const LENGTHS = [0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 1023];

  function withArrays<T>(fn: (alloc: (bytes: number) => number) => T): T {
    return host.scoped(() => fn((b) => host.mem.alloc(b, 'test')));
  }

  test.each(LENGTHS)('n = %i: compare, masked sum, count, bitmaps', (n) => {
    const r = rng(n + 1);
    const a = Float64Array.from({ length: n }, () => Math.floor(r() * 8) - 4);
    const m = Uint8Array.from({ length: n }, () => (r() < 0.6 ? 0xff : 0));
    withArrays((alloc) => {
      const pa = alloc(8 * n);
      const pm = alloc(n);
      const out = alloc(n);
      const bits = alloc(n + 16);
      const back = alloc(n + 16);
      const shiftedPtr = alloc(n + 16);
      const mem = host.mem.views();
      mem.f64.set(a, pa >> 3);
      mem.u8.set(m, pm);
      host.filter.cmp_f64_s(CMP['<'], pa, 0.5, n, out);
      expect(Array.from(host.mem.views().u8.subarray(out, out + n))).toEqual(
        Array.from(a, (x) => (x < 0.5 ? 0xff : 0)),
      );
      const sum = host.aggregate.sum_f64(pa, pm, n);
      expect(sum).toBe(Array.from(a).reduce((s, x, i) => s + (m[i] ? x : 0), 0));
      expect(host.aggregate.sum_f64(pa, 0, n)).toBe(Array.from(a).reduce((s, x) => s + x, 0));
      expect(host.filter.mask_count(pm, n)).toBe(m.filter((x) => x).length);
      host.mem.views().u8.fill(0, bits, bits + n + 16);
      host.filter.mask_to_bitmap(pm, n, bits);
      for (let bitOffset = 0; bitOffset < 9; bitOffset++) {
        // Shift the bitmap by bitOffset and expand it back.
        const u8 = host.mem.views().u8;
        const shifted = new Uint8Array(((n + bitOffset + 7) >> 3) + 1);
        for (let i = 0; i < n; i++)
          if ((u8[bits + (i >> 3)]! >> (i & 7)) & 1)
            shifted[(i + bitOffset) >> 3]! |= 1 << ((i + bitOffset) & 7);
        u8.set(shifted, shiftedPtr);
        host.filter.bitmap_to_mask(shiftedPtr, bitOffset, n, back);
        expect(Array.from(host.mem.views().u8.subarray(back, back + n))).toEqual(Array.from(m));
      }
      const sel = alloc(4 * (n + 1));
      const k = host.filter.mask_to_sel(pm, n, sel);
      expect(Array.from(host.mem.views().i32.subarray(sel >> 2, (sel >> 2) + k))).toEqual(
        Array.from(m).flatMap((x, i) => (x ? [i] : [])),
      );
    });
  });

  test('int64 and int32 sums, conversions and arithmetic', () => {
    for (const n of LENGTHS) {
      const r = rng(n + 99);
      const a = BigInt64Array.from({ length: n }, () => BigInt(Math.floor(r() * 2000) - 1000));
      const b = Int32Array.from({ length: n }, () => Math.floor(r() * 2000) - 1000);
      withArrays((alloc) => {
        const pa = alloc(8 * n);
        const pb = alloc(4 * n);
        const out = alloc(8 * n);
        host.mem.views().i64.set(a, pa >> 3);
        host.mem.views().i32.set(b, pb >> 2);
        expect(host.aggregate.sum_i64(pa, 0, n)).toBe(a.reduce((s, x) => s + x, 0n));
        expect(host.aggregate.sum_i32(pb, 0, n)).toBe(BigInt(b.reduce((s, x) => s + x, 0)));
        host.project.i32_to_f64(pb, n, out);
        expect(Array.from(host.mem.views().f64.subarray(out >> 3, (out >> 3) + n))).toEqual(Array.from(b));
        host.project.arith_i64_s(2, pa, 3n, 0, n, out);
        expect(Array.from(host.mem.views().i64.subarray(out >> 3, (out >> 3) + n))).toEqual(
          Array.from(a, (x) => x * 3n),
        );
      });
    }
  });

  test('a filtered batch equals the JS loop on a larger random column', () => {
    const r = rng(5);
    const rows = Array.from({ length: 10_000 }, () => [Math.floor(r() * 100) / 10]);
    const batch = makeTestBatch([{ name: 'x', type: 'float64' }], rows);
    const out = new FilterOperator(bin('>=', col('x'), lit(5, 'int32'))).apply(batch);
    expect(out.numRows).toBe(rows.filter(([x]) => x! >= 5).length);
  });
});
