/**
 * Single-value semantics shared by constant folding, JS fallbacks and the aggregators:
 * ordering of SQL values, casts, arithmetic on literals, LIKE patterns and date literals.
 */
import { InvalidArgumentError } from '@pushdown/proto';
import { exprToString, type Expr } from '../plan/expr.js';
import type { DataType } from '../plan/types.js';
import type { JsValue } from './arrow-columns.js';

const encoder = new TextEncoder();

/** Bytewise order of two byte strings (SQL order of utf8 values). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const m = Math.min(a.length, b.length);
  for (let i = 0; i < m; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Order of two non-null values of the same logical type. */
export function compareValues(a: JsValue, b: JsValue): number {
  if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) return 0;
    return compareBytes(encoder.encode(a), encoder.encode(b));
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  // number vs bigint compares exactly in JS.
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/** Days since the epoch of 'YYYY-MM-DD'. */
export function parseDate(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  if (!m) throw new InvalidArgumentError(`'${s}' is not a date (expected YYYY-MM-DD)`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Math.round(ms / 86_400_000);
}

export function formatDate(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Round half away from zero, as DuckDB does when casting a double to an integer. */
function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** CAST of one non-null value. */
export function castValue(v: JsValue, from: DataType, to: DataType, e?: Expr): JsValue {
  if (v === null || from === to) return v;
  const where = e ? ` in ${exprToString(e)}` : '';
  const outOfRange = (): never => {
    throw new InvalidArgumentError(`value ${String(v)} is out of range for ${to}${where}`);
  };
  if (to === 'utf8') {
    if (from === 'date32') return formatDate(Number(v));
    if (from === 'float64') return Number.isInteger(v) ? (v as number).toFixed(1) : String(v);
    return String(v);
  }
  if (from === 'utf8') {
    const s = String(v).trim();
    if (to === 'date32') return parseDate(s);
    if (to === 'bool') {
      if (/^(true|t|1)$/i.test(s)) return true;
      if (/^(false|f|0)$/i.test(s)) return false;
    } else if (s !== '' && !Number.isNaN(Number(s))) {
      return castValue(
        to === 'int64' && /^-?\d+$/.test(s) ? BigInt(s) : Number(s),
        to === 'int64' && /^-?\d+$/.test(s) ? 'int64' : 'float64',
        to,
        e,
      );
    }
    throw new InvalidArgumentError(`cannot cast '${s}' to ${to}${where}`);
  }
  if (to === 'bool') return Number(v) !== 0;
  const x = typeof v === 'boolean' ? Number(v) : v;
  switch (to) {
    case 'float64':
      return Number(x);
    case 'int64': {
      if (typeof x === 'bigint') return x;
      const r = roundHalfAway(x as number);
      if (!Number.isFinite(r) || Math.abs(r) > 2 ** 63) outOfRange();
      return BigInt(r);
    }
    case 'int32':
    case 'date32': {
      const r = typeof x === 'bigint' ? Number(x) : roundHalfAway(x as number);
      if (!(r >= INT32_MIN && r <= INT32_MAX)) outOfRange();
      return r;
    }
    default:
      throw new InvalidArgumentError(`cannot cast ${from} to ${to}${where}`);
  }
}

/** `a op b` on literals of result type t (NULL propagates; x / 0 is NULL). */
export function foldArithmetic(op: '+' | '-' | '*' | '/', a: JsValue, b: JsValue, t: DataType): JsValue {
  if (a === null || b === null) return null;
  if (t === 'int64') {
    const x = BigInt(a as bigint);
    const y = BigInt(b as bigint);
    const r = op === '+' ? x + y : op === '-' ? x - y : x * y;
    return BigInt.asIntN(64, r);
  }
  const x = Number(a);
  const y = Number(b);
  if (t === 'int32') {
    const r = op === '+' ? x + y : op === '-' ? x - y : x * y;
    return r | 0;
  }
  if (op === '/') return y === 0 ? null : x / y;
  return op === '+' ? x + y : op === '-' ? x - y : x * y;
}

/** SQL LIKE ('%' any run, '_' one character) as an anchored RegExp. */
export function likeToRegExp(pattern: string): RegExp {
  let src = '';
  for (const ch of pattern) {
    if (ch === '%') src += '.*';
    else if (ch === '_') src += '.';
    else src += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, 'su');
}
