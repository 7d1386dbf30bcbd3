/**
 * Every expression kind, evaluated by the WASM executor and by the row-at-a-time reference, over
 * random data with NULLs, an all-NULL column, and lengths around the SIMD widths (0, 1, 7, 8, 9,
 * 15, 16, 17, 1023) and across a slice boundary (70 000 > CHUNK_ROWS).
 */
import { InvalidArgumentError } from '@pushdown/proto';
import { evaluateExpr, filterBatch, inferExprType, projectBatch } from '../src/exec/index.js';
import { bin, col, lit, type Expr, type Literal } from '../src/plan/expr.js';
import type { DataType } from '../src/plan/types.js';
import { COLUMNS, makeTestBatch, randomRows, refEval, refType, valuesOf, type V } from './exec-reference.js';

const types = Object.fromEntries(COLUMNS.map((c) => [c.name, c.type])) as Record<string, DataType>;
const schema = COLUMNS.map((c) => ({ name: c.name, type: c.type, nullable: true }));
const L = (v: V, t: DataType): Literal => lit(typeof v === 'bigint' ? String(v) : v, t);
const not = (arg: Expr): Expr => ({ kind: 'not', arg });
const between = (arg: Expr, low: Expr, high: Expr, negated = false): Expr => ({
  kind: 'between',
  arg,
  low,
  high,
  negated,
});
const inList = (arg: Expr, list: Literal[], negated = false): Expr => ({ kind: 'in', arg, list, negated });
const like = (arg: Expr, pattern: string, negated = false): Expr => ({ kind: 'like', arg, pattern, negated });
const isNull = (arg: Expr, negated = false): Expr => ({ kind: 'isNull', arg, negated });
const cast = (arg: Expr, to: DataType): Expr => ({ kind: 'cast', arg, to });
const neg = (arg: Expr): Expr => ({ kind: 'negate', arg });

const CMP_OPS = ['=', '<>', '<', '<=', '>', '>='] as const;

const cases: [string, Expr][] = [
  ...CMP_OPS.flatMap((op): [string, Expr][] => [
    [`f ${op} 0.5`, bin(op, col('f'), L(0.5, 'float64'))],
    [`g ${op} f`, bin(op, col('g'), col('f'))],
    [`i ${op} 3`, bin(op, col('i'), L(3, 'int32'))],
    [`i ${op} j`, bin(op, col('i'), col('j'))],
    [`l ${op} 4 (int64 literal)`, bin(op, col('l'), L(4n, 'int64'))],
    [`l ${op} i (int64 vs int32)`, bin(op, col('l'), col('i'))],
    [`i ${op} f (int32 vs float64)`, bin(op, col('i'), col('f'))],
    [`l ${op} g (int64 vs float64)`, bin(op, col('l'), col('g'))],
    [`2 ${op} i (literal left)`, bin(op, L(2, 'int32'), col('i'))],
    [`d ${op} date`, bin(op, col('d'), L(9010, 'date32'))],
    [`d ${op} '1994-09-07' (string date)`, bin(op, col('d'), L('1994-09-07', 'utf8'))],
    [`s ${op} 'ab'`, bin(op, col('s'), L('ab', 'utf8'))],
    [`s ${op} t`, bin(op, col('s'), col('t'))],
    [`b ${op} true`, bin(op, col('b'), L(true, 'bool'))],
    [`z ${op} 1 (all null)`, bin(op, col('z'), L(1, 'int32'))],
    [`f ${op} NULL`, bin(op, col('f'), L(null, 'float64'))],
  ]),
  ...(['+', '-', '*', '/'] as const).flatMap((op): [string, Expr][] => [
    [`f ${op} g`, bin(op, col('f'), col('g'))],
    [`i ${op} j`, bin(op, col('i'), col('j'))],
    [`i ${op} l`, bin(op, col('i'), col('l'))],
    [`l ${op} 3`, bin(op, col('l'), L(3n, 'int64'))],
    [`7 ${op} i`, bin(op, L(7, 'int32'), col('i'))],
    [`g ${op} 0.25`, bin(op, col('g'), L(0.25, 'float64'))],
    [`2.5 ${op} f`, bin(op, L(2.5, 'float64'), col('f'))],
    [`j ${op} g`, bin(op, col('j'), col('g'))],
    [`f ${op} 0`, bin(op, col('f'), L(0, 'int32'))],
    [`z ${op} g`, bin(op, col('z'), col('g'))],
    [`1 ${op} 2 (constant)`, bin(op, L(1, 'int32'), L(2, 'int32'))],
  ]),
  [
    'g * (1 - f) * (1 + i)',
    bin('*', bin('*', col('g'), bin('-', L(1, 'int32'), col('f'))), bin('+', L(1, 'int32'), col('i'))),
  ],
  ['f > 0 AND i < 3', bin('and', bin('>', col('f'), L(0, 'int32')), bin('<', col('i'), L(3, 'int32')))],
  ['f > 0 OR i < 3', bin('or', bin('>', col('f'), L(0, 'int32')), bin('<', col('i'), L(3, 'int32')))],
  [
    'g > 0 AND j < 3 (no nulls)',
    bin('and', bin('>', col('g'), L(0, 'int32')), bin('<', col('j'), L(3, 'int32'))),
  ],
  ['b AND NULL', bin('and', col('b'), L(null, 'bool'))],
  ['b OR NULL', bin('or', col('b'), L(null, 'bool'))],
  ['b AND TRUE', bin('and', col('b'), L(true, 'bool'))],
  ['FALSE OR b', bin('or', L(false, 'bool'), col('b'))],
  ['NOT b', not(col('b'))],
  [
    'NOT (f > 0 OR s = a)',
    not(bin('or', bin('>', col('f'), L(0, 'int32')), bin('=', col('s'), L('a', 'utf8')))),
  ],
  ['b', col('b')],
  ['f BETWEEN -1 AND 1', between(col('f'), L(-1, 'int32'), L(1, 'int32'))],
  ['i NOT BETWEEN j AND 5', between(col('i'), col('j'), L(5, 'int32'), true)],
  ['d BETWEEN dates', between(col('d'), L(9005, 'date32'), L(9012, 'date32'))],
  ['s BETWEEN a AND b', between(col('s'), L('a', 'utf8'), L('b', 'utf8'))],
  ['i IN (1, 2, 3)', inList(col('i'), [L(1, 'int32'), L(2, 'int32'), L(3, 'int32')])],
  ['i NOT IN (1, NULL)', inList(col('i'), [L(1, 'int32'), L(null, 'int32')], true)],
  ['i IN (1, NULL)', inList(col('i'), [L(1, 'int32'), L(null, 'int32')])],
  ['f IN (0.5, 1)', inList(col('f'), [L(0.5, 'float64'), L(1, 'int32')])],
  ['d IN (dates)', inList(col('d'), [L(9001, 'date32'), L(9003, 'date32')])],
  ["s IN ('MAIL', 'SHIP')", inList(col('s'), [L('MAIL', 'utf8'), L('SHIP', 'utf8')])],
  ["t NOT IN ('a', 'é')", inList(col('t'), [L('a', 'utf8'), L('é', 'utf8')], true)],
  ["s LIKE 'a%' (prefix kernel)", like(col('s'), 'a%')],
  ["s NOT LIKE 'é%'", like(col('s'), 'é%', true)],
  ["s LIKE '%a'", like(col('s'), '%a')],
  ["s LIKE '_b%'", like(col('s'), '_b%')],
  ["t LIKE 'ab' (no wildcard)", like(col('t'), 'ab')],
  ["t LIKE '%'", like(col('t'), '%')],
  ["t LIKE '_'", like(col('t'), '_')],
  ['f IS NULL', isNull(col('f'))],
  ['f IS NOT NULL', isNull(col('f'), true)],
  ['g IS NULL (no nulls)', isNull(col('g'))],
  ['(f + i) IS NULL', isNull(bin('+', col('f'), col('i')))],
  ['-f', neg(col('f'))],
  ['-i', neg(col('i'))],
  ['-l', neg(col('l'))],
  ['CAST(i AS float64)', cast(col('i'), 'float64')],
  ['CAST(i AS int64)', cast(col('i'), 'int64')],
  ['CAST(l AS float64)', cast(col('l'), 'float64')],
  ['CAST(f AS int32) (rounds half away)', cast(col('f'), 'int32')],
  ['CAST(f AS int64)', cast(col('f'), 'int64')],
  ['CAST(l AS int32)', cast(col('l'), 'int32')],
  ['CAST(i AS bool)', cast(col('i'), 'bool')],
  ['i (column passthrough)', col('i')],
  ['s (utf8 passthrough)', col('s')],
  ['literal 42', L(42, 'int32')],
];

const LENGTHS = [0, 1, 7, 8, 9, 15, 16, 17, 1023, 70_000];
// Built once: Arrow's vectorFromArray is slow, and every case reads the same batches.
const batches = LENGTHS.map((n, k) => {
  const rows = randomRows(n, 1000 + k);
  const envs = rows.map((r) => Object.fromEntries(COLUMNS.map((c, i) => [c.name, r[i]!])));
  return { n, rows, envs, batch: makeTestBatch(COLUMNS, rows) };
});

// Every case runs at the short lengths; these also run across the slice boundary (70 000 rows).
const ACROSS_SLICES = new Set([
  'f < 0.5',
  'g >= f',
  'l <> i (int64 vs int32)',
  's <= t',
  'f / g',
  'i * l',
  'f > 0 AND i < 3',
  "s LIKE 'a%' (prefix kernel)",
  'CAST(f AS int32) (rounds half away)',
  '(f + i) IS NULL',
]);

test('every slice-crossing case exists', () => {
  for (const name of ACROSS_SLICES) expect(cases.map(([n]) => n)).toContain(name);
});

describe.each(cases)('%s', (name, expr) => {
  const outType = refType(expr, types);

  test('matches the reference at every length', () => {
    expect(inferExprType(expr, schema)).toBe(outType);
    for (const { n, envs, batch } of batches) {
      if (n > 1023 && !ACROSS_SLICES.has(name)) continue;
      const got = valuesOf(evaluateExpr(batch, expr), outType);
      const want = envs.map((e) => refEval(expr, e, types));
      if (n <= 1023) expect(got).toEqual(want);
      else {
        const bad = got.findIndex((v, i) => !Object.is(v, want[i]) && !(v === want[i]));
        expect(bad === -1 ? null : { row: bad, got: got[bad], want: want[bad] }).toBeNull();
      }
    }
  });

  if (outType === 'bool') {
    test('filter keeps exactly the TRUE rows', () => {
      for (const { rows, envs, batch } of batches.slice(0, 9)) {
        const kept = filterBatch(batch, expr);
        const want = rows.filter((_r, i) => refEval(expr, envs[i]!, types) === true);
        expect(kept.numRows).toBe(want.length);
        for (const [k, c] of COLUMNS.entries()) {
          expect(valuesOf(kept.getChildAt(k)!, c.type)).toEqual(want.map((r) => r[k]!));
        }
      }
    });
  }
});

test('filter across a slice boundary keeps order and values', () => {
  const { rows, batch } = batches[batches.length - 1]!;
  const expr = bin('and', bin('>', col('g'), L(0, 'int32')), isNull(col('s'), true));
  const kept = filterBatch(batch, expr);
  const want = rows.filter((r) => (r[4] as number) > 0 && r[6] !== null);
  expect(kept.numRows).toBe(want.length);
  expect(valuesOf(kept.getChildAt(6)!, 'utf8')).toEqual(want.map((r) => r[6]));
  expect(valuesOf(kept.getChildAt(2)!, 'int64')).toEqual(want.map((r) => r[2]));
});

test('projectBatch names outputs and passes columns through without a copy', () => {
  const batch = makeTestBatch(COLUMNS, randomRows(100, 7));
  const out = projectBatch(batch, [
    { name: 'x', expr: col('s') },
    { name: 'y', expr: bin('+', col('i'), L(1, 'int32')) },
  ]);
  expect(out.schema.fields.map((f) => f.name)).toEqual(['x', 'y']);
  expect(out.getChildAt(0)!.data[0]).toBe(batch.getChildAt(6)!.data[0]);
  expect(String(out.schema.fields[1]!.type)).toBe('Int64');
});

describe('type errors name the expression', () => {
  const batch = makeTestBatch(COLUMNS, randomRows(10, 3));
  test.each<[string, Expr, RegExp]>([
    ['utf8 vs number', bin('=', col('s'), L(1, 'int32')), /cannot compare utf8 with int32 in \(s = 1\)/],
    ['arith on utf8', bin('+', col('s'), L(1, 'int32')), /expected a number but s is utf8/],
    ['unknown column', bin('=', col('nope'), L(1, 'int32')), /unknown column "nope"/],
    ['AND of a number', bin('and', col('i'), col('b')), /expected a boolean but i is int32/],
    ['LIKE on number', like(col('i'), 'a%'), /LIKE needs a string/],
  ])('%s', (_n, expr, message) => {
    expect(() => evaluateExpr(batch, expr)).toThrow(InvalidArgumentError);
    expect(() => evaluateExpr(batch, expr)).toThrow(message);
  });
  test('non-boolean filter', () => {
    expect(() => filterBatch(batch, col('i'))).toThrow(/filter must be boolean/);
  });
});
