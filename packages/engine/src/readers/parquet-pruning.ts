/**
 * Row-group pruning: a row group is skipped only when its column statistics prove the fragment
 * filter cannot be true for any of its rows. Conservative by construction: an expression shape
 * it does not understand, a missing statistic or an incomparable literal never prunes.
 *
 * Understood: AND (prunes if either side does), OR (if both do), col op literal (=, <>, <, <=,
 * >, >=, either side), BETWEEN, IN, IS [NOT] NULL.
 */
import type { ColumnChunk, Statistics } from 'hyparquet';
import type { Expr, Literal } from '../plan/expr.js';
import type { ParquetColumnInfo, ParquetObjectMetadata } from './parquet-metadata.js';

type Value = number | bigint | boolean | string;

interface ColumnStats {
  readonly min: Value | undefined;
  readonly max: Value | undefined;
  readonly nullCount: number | undefined;
  readonly rows: number;
}

/** Row groups (of `candidates`, default all) that may hold rows matching `filter`. */
export function pruneRowGroups(
  meta: ParquetObjectMetadata,
  filter: Expr | null,
  candidates: readonly number[] | null,
): number[] {
  const all = candidates ?? meta.metadata.row_groups.map((_, i) => i);
  if (!filter) return [...all];
  const byName = new Map(meta.columns.map((c) => [c.field.name, c]));
  return all.filter((rg) => {
    const group = meta.metadata.row_groups[rg];
    if (!group) return false;
    const stats = (name: string): ColumnStats | null => {
      const info = byName.get(name);
      const chunk = info ? group.columns[info.leaf] : undefined;
      return info && chunk ? statsOf(info, chunk, Number(group.num_rows)) : null;
    };
    return !provesEmpty(filter, stats);
  });
}

function statsOf(info: ParquetColumnInfo, chunk: ColumnChunk, rows: number): ColumnStats | null {
  const s: Statistics | undefined = chunk.meta_data?.statistics;
  if (!s) return null;
  // The deprecated min/max of strings used a signed byte order; only trust min_value/max_value.
  const legacyOk = info.field.type !== 'utf8';
  let min = (s.min_value ?? (legacyOk ? s.min : undefined)) as Value | undefined;
  let max = (s.max_value ?? (legacyOk ? s.max : undefined)) as Value | undefined;
  if (info.decimalScale !== null) {
    // hyparquet scales decimals with a multiply that can land one ulp off; redo it exactly.
    min = rescale(min, info.decimalScale);
    max = rescale(max, info.decimalScale);
  }
  if (typeof min === 'object' || typeof max === 'object') return null; // Dates, byte arrays: unknown
  const nullCount = s.null_count === undefined ? undefined : Number(s.null_count);
  return { min, max, nullCount, rows };
}

function rescale(v: Value | undefined, scale: number): Value | undefined {
  if (typeof v !== 'number') return undefined;
  const p = 10 ** scale;
  const unscaled = Math.round(v * p);
  return Number.isSafeInteger(unscaled) ? unscaled / p : undefined;
}

type StatsOf = (name: string) => ColumnStats | null;

function provesEmpty(e: Expr, stats: StatsOf): boolean {
  switch (e.kind) {
    case 'binary': {
      if (e.op === 'and') return provesEmpty(e.left, stats) || provesEmpty(e.right, stats);
      if (e.op === 'or') return provesEmpty(e.left, stats) && provesEmpty(e.right, stats);
      if (e.left.kind === 'column' && e.right.kind === 'literal')
        return compareProvesEmpty(e.op, stats(e.left.name), e.right);
      if (e.left.kind === 'literal' && e.right.kind === 'column') {
        return compareProvesEmpty(flip(e.op), stats(e.right.name), e.left);
      }
      return false;
    }
    case 'between': {
      if (e.arg.kind !== 'column' || e.low.kind !== 'literal' || e.high.kind !== 'literal') return false;
      const s = stats(e.arg.name);
      if (!e.negated) return compareProvesEmpty('>=', s, e.low) || compareProvesEmpty('<=', s, e.high);
      if (!s || allNull(s)) return s !== null && allNull(s);
      const lo = cmp(s.min, e.low);
      const hi = cmp(s.max, e.high);
      return lo !== null && hi !== null && lo >= 0 && hi <= 0;
    }
    case 'in': {
      if (e.arg.kind !== 'column' || e.negated) return false;
      const s = stats(e.arg.name);
      const values = e.list.filter((l) => l.value !== null);
      return values.every((l) => compareProvesEmpty('=', s, l));
    }
    case 'isNull': {
      if (e.arg.kind !== 'column') return false;
      const s = stats(e.arg.name);
      if (!s || s.nullCount === undefined) return false;
      return e.negated ? s.nullCount === s.rows : s.nullCount === 0;
    }
    default:
      return false;
  }
}

function allNull(s: ColumnStats): boolean {
  return s.nullCount !== undefined && s.nullCount === s.rows;
}

function flip(op: string): string {
  return op === '<' ? '>' : op === '<=' ? '>=' : op === '>' ? '<' : op === '>=' ? '<=' : op;
}

/** True when `col op lit` is false or NULL for every row the stats describe. */
function compareProvesEmpty(op: string, s: ColumnStats | null, lit: Literal): boolean {
  if (!s || lit.value === null) return false;
  if (allNull(s)) return true;
  const lo = cmp(s.min, lit);
  const hi = cmp(s.max, lit);
  if (lo === null || hi === null) return false;
  switch (op) {
    case '=':
      return lo > 0 || hi < 0;
    case '<>':
      return lo === 0 && hi === 0;
    case '<':
      return lo >= 0;
    case '<=':
      return lo > 0;
    case '>':
      return hi <= 0;
    case '>=':
      return hi < 0;
    default:
      return false;
  }
}

/** Sign of (stat - literal), or null when the two cannot be compared exactly. */
export function cmp(stat: Value | undefined, lit: Literal): number | null {
  const v = lit.value;
  if (stat === undefined || v === null) return null;
  if (typeof stat === 'boolean') return typeof v === 'boolean' ? Number(stat) - Number(v) : null;
  if (typeof stat === 'string') {
    if (lit.type !== 'utf8' || typeof v !== 'string') return null;
    return Math.sign(Buffer.compare(Buffer.from(stat, 'utf8'), Buffer.from(v, 'utf8')));
  }
  if (lit.type === 'utf8' || lit.type === 'bool' || typeof v === 'boolean') return null;
  const n = typeof v === 'string' ? (/^-?\d+$/.test(v) ? BigInt(v) : Number(v)) : v;
  if (typeof n === 'number' && Number.isNaN(n)) return null;
  if (typeof stat === 'number' && Number.isNaN(stat)) return null;
  if (typeof stat === 'bigint' && typeof n === 'bigint') return stat < n ? -1 : stat > n ? 1 : 0;
  if (typeof stat === 'number' && typeof n === 'number') return stat < n ? -1 : stat > n ? 1 : 0;
  if (typeof stat === 'bigint') return cmpBigNumber(stat, n as number);
  return -cmpBigNumber(n as bigint, stat);
}

function cmpBigNumber(b: bigint, x: number): number {
  if (x === Infinity) return -1;
  if (x === -Infinity) return 1;
  const f = Math.floor(x);
  const bf = BigInt(f);
  if (b < bf) return -1;
  if (b > bf) return 1;
  return x === f ? 0 : -1;
}
