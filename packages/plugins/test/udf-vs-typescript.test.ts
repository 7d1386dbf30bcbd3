// Each example plugin function, built to WASM and instantiated directly (imported memory with a
// maximum), against its plain-TypeScript reference on random batches: value for value, null for
// null. Known vectors pin the references themselves.
import { join } from 'node:path';
import {
  BUILD_DIR,
  instantiateUdf,
  REFERENCE_UDFS,
  verifyPlugin,
  type UdfColumn,
  type UdfInstance,
  type UdfResult,
} from '@pushdown/plugins';
import {
  float64Column,
  int64Column,
  isValid,
  randomStrings,
  randomValidity,
  rng,
  utf8Column,
} from './udf-random-batches.js';

const instances = new Map<string, UdfInstance>();
async function udf(plugin: string): Promise<UdfInstance> {
  let inst = instances.get(plugin);
  if (!inst) {
    const { module, manifest } = await verifyPlugin(join(BUILD_DIR, `${plugin}.wasm`));
    inst = instantiateUdf(module, manifest);
    instances.set(plugin, inst);
  }
  return inst;
}

const decoder = new TextDecoder();

/** Row i of a result: a bit for bool, the string's bytes (as latin1, so any bytes compare) for utf8. */
function rowValue(r: UdfResult, i: number): unknown {
  if (r.type === 'bool') return isValid(r.values as Uint8Array, i);
  if (r.type === 'utf8') {
    const offs = r.values as Int32Array;
    return Buffer.from(r.data!.subarray(offs[i]!, offs[i + 1]!)).toString('latin1');
  }
  return r.values[i];
}

function expectSame(wasm: UdfResult, ts: UdfResult, rows: number, closeTo = false): void {
  expect(wasm.nullCount).toBe(ts.nullCount);
  for (let i = 0; i < rows; i++) {
    const valid = isValid(ts.validity, i);
    if (isValid(wasm.validity, i) !== valid) throw new Error(`row ${i}: validity differs`);
    if (!valid) continue;
    const a = rowValue(wasm, i);
    const b = rowValue(ts, i);
    if (closeTo && typeof a === 'number' && typeof b === 'number') {
      if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(b))) throw new Error(`row ${i}: ${a} vs ${b}`);
    } else if (a !== b) throw new Error(`row ${i}: wasm ${String(a)} vs ts ${String(b)}`);
  }
}

async function compare(plugin: string, fn: string, args: UdfColumn[], rows: number, closeTo = false) {
  const wasm = (await udf(plugin)).call(fn, args, rows);
  const ts = REFERENCE_UDFS[`${plugin}.${fn}`]!(args, rows);
  expectSame(wasm, ts, rows, closeTo);
  return wasm;
}

const SIZES = [0, 1, 7, 8, 9, 1000, 65_537];

describe('hash64', () => {
  it.each(SIZES)('hash64_utf8 matches TypeScript on %i rows', async (rows) => {
    const rand = rng(rows + 1);
    await compare(
      'hash64',
      'hash64_utf8',
      [utf8Column(randomStrings(rand, rows), randomValidity(rand, rows, 0.1))],
      rows,
    );
  });

  it.each(SIZES)('hash64_int64 matches TypeScript on %i rows', async (rows) => {
    const rand = rng(rows + 2);
    const v = new BigInt64Array(rows).map(() =>
      BigInt.asIntN(64, BigInt(Math.floor(rand() * 2 ** 53)) << 11n),
    );
    await compare('hash64', 'hash64_int64', [int64Column(v, randomValidity(rand, rows, 0.2))], rows);
  });

  it('agrees with the published FNV-1a 64 test vectors', async () => {
    const r = await compare('hash64', 'hash64_utf8', [utf8Column(['', 'a', 'foobar'])], 3);
    expect([...r.values].map((v) => BigInt.asUintN(64, v as bigint).toString(16))).toEqual([
      'cbf29ce484222325',
      'af63dc4c8601ec8c',
      '85944171f73967e8',
    ]);
  });
});

describe('geo', () => {
  const coords = (rand: () => number, rows: number, span: number) =>
    new Float64Array(rows).map(() => (rand() * 2 - 1) * span);

  it.each(SIZES)('geo_distance matches TypeScript on %i rows', async (rows) => {
    const rand = rng(rows + 3);
    const args = [90, 180, 90, 180].map((span) =>
      float64Column(coords(rand, rows, span), randomValidity(rand, rows, 0.05)),
    );
    await compare('geo', 'geo_distance', args, rows, true);
  });

  it('geo_distance_to takes the point as one-row constants', async () => {
    const rand = rng(9);
    const rows = 5000;
    const args = [
      float64Column(coords(rand, rows, 90), randomValidity(rand, rows, 0.1)),
      float64Column(coords(rand, rows, 180)),
      float64Column(new Float64Array([48.8566])),
      float64Column(new Float64Array([2.3522])),
    ];
    await compare('geo', 'geo_distance_to', args, rows, true);
  });

  it('measures Paris to London as about 343.5 km', async () => {
    const pt = (v: number) => float64Column(new Float64Array([v]));
    const r = await compare(
      'geo',
      'geo_distance',
      [pt(48.8566), pt(2.3522), pt(51.5074), pt(-0.1278)],
      1,
      true,
    );
    expect(r.values[0]).toBeCloseTo(343.56, 1);
  });

  it('a null constant point makes every row null', async () => {
    const rows = 20;
    const args = [
      float64Column(new Float64Array(rows)),
      float64Column(new Float64Array(rows)),
      float64Column(new Float64Array([0]), new Uint8Array([0])),
      float64Column(new Float64Array([0])),
    ];
    expect((await compare('geo', 'geo_distance_to', args, rows, true)).nullCount).toBe(rows);
  });
});

describe('text_match', () => {
  const PATTERNS = ['', 'foo', 'FOO', 'special', 'ünï', 'a', 'xyzzy xyzzy xyzzy xyzzy'];
  for (const fn of ['contains', 'starts_with_ci', 'ends_with']) {
    it.each(PATTERNS)(`${fn} matches TypeScript for pattern %j`, async (pattern) => {
      const rand = rng(pattern.length + fn.length);
      const rows = 4099;
      const args = [
        utf8Column(randomStrings(rand, rows), randomValidity(rand, rows, 0.1)),
        utf8Column([pattern]),
      ];
      await compare('text_match', fn, args, rows);
    });
  }

  it('answers known cases', async () => {
    const s = utf8Column(['FooBar', 'barfoo', 'xfoo', ''], new Uint8Array([0b0111]));
    const bits = (r: UdfResult) =>
      [0, 1, 2, 3].map((i) => (isValid(r.validity, i) ? isValid(r.values as Uint8Array, i) : null));
    const inst = await udf('text_match');
    expect(bits(inst.call('starts_with_ci', [s, utf8Column(['foo'])], 4))).toEqual([
      true,
      false,
      false,
      null,
    ]);
    expect(bits(inst.call('contains', [s, utf8Column(['foo'])], 4))).toEqual([false, true, true, null]);
    expect(bits(inst.call('ends_with', [s, utf8Column(['foo'])], 4))).toEqual([false, true, true, null]);
    expect(inst.call('contains', [s, utf8Column(['x'], new Uint8Array([0]))], 4).nullCount).toBe(4);
  });
});

describe('text_match utf8 results', () => {
  const strings = (r: UdfResult, rows: number) =>
    Array.from({ length: rows }, (_, i) => {
      if (!isValid(r.validity, i)) return null;
      const offs = r.values as Int32Array;
      return decoder.decode(r.data!.subarray(offs[i]!, offs[i + 1]!));
    });

  it.each(SIZES)('upper_ascii matches TypeScript on %i rows', async (rows) => {
    const rand = rng(rows + 11);
    const args = [utf8Column(randomStrings(rand, rows), randomValidity(rand, rows, 0.1))];
    await compare('text_match', 'upper_ascii', args, rows);
  });

  // '' keeps s; a longer `to` makes the result outgrow the host's first capacity guess, so
  // the plugin asks for more room (a negative return) and is called again.
  const REPLACEMENTS: [string, string][] = [
    ['o', '0'],
    ['a', 'xyzzy xyzzy xyzzy xyzzy xyzzy xyzzy xyzzy xyzzy'],
    ['special', ''],
    ['', 'never'],
    ['ünï', 'u'],
    ['aa', 'a'],
  ];
  it.each(REPLACEMENTS)('replace_all(s, %j, %j) matches TypeScript', async (from, to) => {
    const rand = rng(from.length * 31 + to.length);
    const rows = 4099;
    const args = [
      utf8Column(randomStrings(rand, rows), randomValidity(rand, rows, 0.1)),
      utf8Column([from]),
      utf8Column([to]),
    ];
    await compare('text_match', 'replace_all', args, rows);
  });

  it('answers known cases, nulls and the empty batch', async () => {
    const inst = await udf('text_match');
    const s = utf8Column(['héllo wörld', 'aaa', '', 'x'], new Uint8Array([0b0111]));
    expect(strings(inst.call('upper_ascii', [s], 4), 4)).toEqual(['HéLLO WöRLD', 'AAA', '', null]);
    const rep = (from: string, to: string, validity?: Uint8Array) =>
      strings(inst.call('replace_all', [s, utf8Column([from]), utf8Column([to], validity)], 4), 4);
    expect(rep('a', 'bb')).toEqual(['héllo wörld', 'bbbbbb', '', null]);
    expect(rep('aa', 'a')).toEqual(['héllo wörld', 'aa', '', null]);
    expect(rep('l', 'L', new Uint8Array([0]))).toEqual([null, null, null, null]);
    const empty = inst.call('upper_ascii', [utf8Column([])], 0);
    expect([...(empty.values as Int32Array)]).toEqual([0]);
  });
});

describe('the reference host', () => {
  it('refuses a batch that does not fit under limits.memoryPages', async () => {
    const inst = await udf('hash64');
    const rows = (inst.manifest.limits.memoryPages * 65536) / 8; // the output alone fills the cap
    const v = new BigInt64Array(rows);
    expect(() => inst.call('hash64_int64', [int64Column(v)], rows)).toThrow(
      /plugin "hash64" function "hash64_int64" for \d+ rows needs \d+ bytes of memory, above its cap of 1024 pages/,
    );
  });
});
