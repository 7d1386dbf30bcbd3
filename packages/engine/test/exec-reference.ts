/**
 * A plain-TypeScript, row-at-a-time reference for the executor's semantics (SQL three-valued
 * logic, DuckDB-style coercion and division), and random test data. Shared by the exec tests;
 * deliberately independent of the executor's own helpers.
 */
import {
  Bool,
  DateDay,
  Field,
  Float64,
  Int32,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  vectorFromArray,
  type Data,
  type Vector,
} from 'apache-arrow';
import type { Expr } from '../src/plan/expr.js';
import type { DataType } from '../src/plan/types.js';

export type V = number | bigint | string | boolean | null;

const enc = new TextEncoder();
const cmpBytes = (a: string, b: string) =>
  Buffer.compare(Buffer.from(enc.encode(a)), Buffer.from(enc.encode(b)));

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const COLUMNS: { name: string; type: DataType; nulls: boolean }[] = [
  { name: 'i', type: 'int32', nulls: true },
  { name: 'j', type: 'int32', nulls: false },
  { name: 'l', type: 'int64', nulls: true },
  { name: 'f', type: 'float64', nulls: true },
  { name: 'g', type: 'float64', nulls: false },
  { name: 'd', type: 'date32', nulls: true },
  { name: 's', type: 'utf8', nulls: true },
  { name: 't', type: 'utf8', nulls: false },
  { name: 'b', type: 'bool', nulls: true },
  { name: 'z', type: 'float64', nulls: true }, // all NULL
];

const WORDS = ['', 'a', 'ab', 'abc', 'b', 'ba', 'MAIL', 'SHIP', 'é', 'éa', 'z', 'A'];

export function randomValue(type: DataType, r: () => number): V {
  switch (type) {
    case 'int32':
      return Math.floor(r() * 21) - 10;
    case 'int64':
      return BigInt(Math.floor(r() * 41) - 20);
    case 'float64':
      return Math.floor(r() * 17) / 4 - 2; // exact quarters, includes 0
    case 'date32':
      return 9000 + Math.floor(r() * 20);
    case 'utf8':
      return WORDS[Math.floor(r() * WORDS.length)]!;
    case 'bool':
      return r() < 0.5;
  }
}

export function makeColumnData(type: DataType, values: V[]): Data {
  if (type === 'date32') {
    const n = values.length;
    const bitmap = new Uint8Array((n + 7) >> 3);
    let nulls = 0;
    values.forEach((v, i) => (v === null ? nulls++ : (bitmap[i >> 3]! |= 1 << (i & 7))));
    return makeData({
      type: new DateDay(),
      length: n,
      nullCount: nulls,
      nullBitmap: nulls ? bitmap : null,
      data: Int32Array.from(values, (v) => (v === null ? 0 : Number(v))),
    });
  }
  const t = {
    int32: new Int32(),
    int64: new Int64(),
    float64: new Float64(),
    utf8: new Utf8(),
    bool: new Bool(),
  }[type];
  return (vectorFromArray(values as never[], t as never) as Vector).data[0]!;
}

export function makeTestBatch(columns: { name: string; type: DataType }[], rows: V[][]): RecordBatch {
  const datas = columns.map((c, k) =>
    makeColumnData(
      c.type,
      rows.map((r) => r[k]!),
    ),
  );
  const fields = columns.map((c, k) => new Field(c.name, datas[k]!.type, true));
  return new RecordBatch(
    new Schema(fields),
    makeData({ type: new Struct(fields), length: rows.length, nullCount: 0, children: datas }),
  );
}

export function randomRows(n: number, seed: number, nullRate = 0.2): V[][] {
  const r = rng(seed);
  return Array.from({ length: n }, () =>
    COLUMNS.map((c) => (c.name === 'z' ? null : c.nulls && r() < nullRate ? null : randomValue(c.type, r))),
  );
}

/** Values of an output vector as plain JS values (dates as days, int64 as bigint). */
export function valuesOf(v: Vector, type: DataType): V[] {
  const out: V[] = [];
  for (let i = 0; i < v.length; i++) {
    if (!v.isValid(i)) out.push(null);
    else if (type === 'date32') out.push((v.data[0]!.values as Int32Array)[i]!);
    else out.push(v.get(i) as V);
  }
  return out;
}

const wider = (a: DataType, b: DataType): DataType =>
  a === 'float64' || b === 'float64' ? 'float64' : a === 'int64' || b === 'int64' ? 'int64' : 'int32';
const numeric = (t: DataType) => t === 'int32' || t === 'int64' || t === 'float64';

export function refType(e: Expr, types: Record<string, DataType>): DataType {
  switch (e.kind) {
    case 'column':
      return types[e.name]!;
    case 'literal':
      return e.type;
    case 'binary':
      if (['and', 'or', '=', '<>', '<', '<=', '>', '>='].includes(e.op)) return 'bool';
      if (e.op === '/') return 'float64';
      return wider(wider(refType(e.left, types), refType(e.right, types)), 'int64');
    case 'negate':
      return refType(e.arg, types);
    case 'cast':
      return e.to;
    default:
      return 'bool';
  }
}

function cmp(a: V, b: V): number {
  if (typeof a === 'string' && typeof b === 'string') return cmpBytes(a, b);
  if (typeof a === 'boolean') return Number(a) - Number(b);
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

function toDays(s: string): number {
  return Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / 86_400_000;
}

function compareOp(op: string, a: V, at: DataType, b: V, bt: DataType): V {
  if (a === null || b === null) return null;
  if (at === 'date32' && typeof b === 'string') b = toDays(b);
  if (bt === 'date32' && typeof a === 'string') a = toDays(a);
  if (numeric(at) && numeric(bt) && wider(at, bt) === 'float64') {
    a = Number(a);
    b = Number(b);
  }
  const c = cmp(a, b);
  return { '=': c === 0, '<>': c !== 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[op]!;
}

function like(s: string, p: string): boolean {
  let re = '';
  for (const ch of p) re += ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${re}$`, 'su').test(s);
}

/** The value of `e` at one row. */
export function refEval(e: Expr, row: Record<string, V>, types: Record<string, DataType>): V {
  const ev = (x: Expr) => refEval(x, row, types);
  switch (e.kind) {
    case 'column':
      return row[e.name]!;
    case 'literal':
      return e.type === 'int64' && e.value !== null ? BigInt(e.value) : e.value;
    case 'binary': {
      if (e.op === 'and' || e.op === 'or') {
        const a = ev(e.left) as boolean | null;
        const b = ev(e.right) as boolean | null;
        if (e.op === 'and')
          return a === false || b === false ? false : a === null || b === null ? null : true;
        return a === true || b === true ? true : a === null || b === null ? null : false;
      }
      const a = ev(e.left);
      const b = ev(e.right);
      const at = refType(e.left, types);
      const bt = refType(e.right, types);
      if (['=', '<>', '<', '<=', '>', '>='].includes(e.op)) return compareOp(e.op, a, at, b, bt);
      if (a === null || b === null) return null;
      const t = refType(e, types);
      if (e.op === '/') return Number(b) === 0 ? null : Number(a) / Number(b);
      if (t === 'int64') {
        const x = BigInt(a as bigint);
        const y = BigInt(b as bigint);
        return BigInt.asIntN(64, e.op === '+' ? x + y : e.op === '-' ? x - y : x * y);
      }
      const x = Number(a);
      const y = Number(b);
      return e.op === '+' ? x + y : e.op === '-' ? x - y : x * y;
    }
    case 'not': {
      const a = ev(e.arg);
      return a === null ? null : !a;
    }
    case 'negate': {
      const a = ev(e.arg);
      return a === null ? null : typeof a === 'bigint' ? -a : -(a as number) + 0;
    }
    case 'between': {
      const at = refType(e.arg, types);
      const a = ev(e.arg);
      const lo = compareOp('>=', a, at, ev(e.low), refType(e.low, types));
      const hi = compareOp('<=', a, at, ev(e.high), refType(e.high, types));
      const r = lo === false || hi === false ? false : lo === null || hi === null ? null : true;
      return e.negated && r !== null ? !r : r;
    }
    case 'in': {
      const at = refType(e.arg, types);
      const a = ev(e.arg);
      let r: V = false;
      for (const item of e.list) {
        const c = compareOp('=', a, at, ev(item), item.type);
        if (c === true) r = true;
        else if (c === null && r === false) r = null;
      }
      return e.negated && r !== null ? !r : r;
    }
    case 'like': {
      const a = ev(e.arg);
      if (a === null) return null;
      const r = like(String(a), e.pattern);
      return e.negated ? !r : r;
    }
    case 'isNull':
      return (ev(e.arg) === null) !== e.negated;
    case 'cast': {
      const a = ev(e.arg);
      if (a === null) return null;
      const from = refType(e.arg, types);
      if (e.to === 'float64') return Number(a);
      if (e.to === 'int64')
        return typeof a === 'bigint' ? a : BigInt(Math.sign(Number(a)) * Math.round(Math.abs(Number(a))));
      if (e.to === 'int32') return Math.sign(Number(a)) * Math.round(Math.abs(Number(a))) + 0;
      if (e.to === 'bool') return Number(a) !== 0;
      throw new Error(`reference: cast ${from} → ${e.to}`);
    }
    case 'call':
      // A UDF's answer comes from its plugin's module; tests compare those against their own
      // TypeScript twins (packages/plugins/test/udf-vs-typescript.test.ts), not this reference.
      throw new Error(`reference: no evaluator for UDF ${e.plugin}.${e.name}`);
  }
}
