/**
 * Per-group aggregate state, shared by the partial and the final aggregator. Each call keeps,
 * per group, a count of contributing values and a running value (sum, or best for min/max).
 * NULLs never reach it: SUM/MIN/MAX of a group with no non-null value is NULL, COUNT is 0.
 */
import { InvalidArgumentError } from '@pushdown/proto';
import type { AggregateCall } from '../plan/aggregate.js';
import { exprToString } from '../plan/expr.js';
import { isNumericType, type DataType } from '../plan/types.js';
import { columnFromValues, type JsValue } from './arrow-columns.js';
import { compareBytes, compareValues } from './scalar-values.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Type of a SUM over `t` (int64 for integers, float64 for floats). */
export function sumType(t: DataType): DataType {
  return t === 'float64' ? 'float64' : 'int64';
}

/** Check an aggregate's argument type; returns the type its partial state uses. */
export function checkAggregateArg(call: AggregateCall, argType: DataType | null): void {
  if (call.fn === 'count' || argType === null) return;
  if ((call.fn === 'sum' || call.fn === 'avg') && !isNumericType(argType)) {
    throw new InvalidArgumentError(
      `${call.fn.toUpperCase()} needs a number but ${call.arg ? exprToString(call.arg) : '*'} is ${argType}`,
    );
  }
}

export class AggState {
  readonly counts: number[] = [];
  readonly values: JsValue[] = [];
  /** Integer sums stay exact as bigint; float sums are numbers. */
  private readonly bigSum: boolean;

  constructor(
    readonly call: AggregateCall,
    /** Type of the running value: sum type for sum/avg, argument type for min/max. */
    readonly valueType: DataType,
  ) {
    this.bigSum = valueType === 'int64' && (call.fn === 'sum' || call.fn === 'avg');
  }

  addGroup(): void {
    this.counts.push(0);
    this.values.push(this.call.fn === 'sum' || this.call.fn === 'avg' ? (this.bigSum ? 0n : 0) : null);
  }

  /** Fold `count` contributing values summarised by `value` into group g. */
  merge(g: number, value: JsValue, count: number): void {
    if (count === 0) return;
    this.counts[g]! += count;
    switch (this.call.fn) {
      case 'count':
        return;
      case 'sum':
      case 'avg':
        if (value === null) return;
        this.values[g] = this.bigSum
          ? (this.values[g] as bigint) + BigInt(value as bigint)
          : (this.values[g] as number) + Number(value);
        return;
      case 'min':
      case 'max': {
        if (value === null) return;
        const cur = this.values[g]!;
        if (cur === null) {
          this.values[g] = value;
          return;
        }
        const c =
          (value as unknown) instanceof Uint8Array
            ? compareBytes(value as unknown as Uint8Array, cur as unknown as Uint8Array)
            : compareValues(value, cur);
        if (this.call.fn === 'min' ? c < 0 : c > 0) this.values[g] = value;
      }
    }
  }

  /** utf8 min/max run on bytes (SQL order); values in the state are Uint8Array then. */
  static bytesOf(s: string): Uint8Array {
    return encoder.encode(s);
  }

  private outValue(g: number): JsValue {
    const v = this.values[g]!;
    return (v as unknown) instanceof Uint8Array ? decoder.decode(v as unknown as Uint8Array) : v;
  }

  /** The partial-state columns (see partialStateColumns), in order. */
  partialColumns(): { type: DataType; values: JsValue[] }[] {
    const groups = this.counts.length;
    const rows = Array.from({ length: groups }, (_, g) => g);
    switch (this.call.fn) {
      case 'count':
        return [{ type: 'int64', values: this.counts.map((c) => BigInt(c)) }];
      case 'avg':
        return [
          { type: 'float64', values: rows.map((g) => (this.counts[g] ? Number(this.values[g]) : null)) },
          { type: 'int64', values: this.counts.map((c) => BigInt(c)) },
        ];
      default:
        return [
          { type: this.valueType, values: rows.map((g) => (this.counts[g] ? this.outValue(g) : null)) },
        ];
    }
  }

  /** The final column of this call. */
  finalColumn(): { type: DataType; values: JsValue[] } {
    const groups = this.counts.length;
    const rows = Array.from({ length: groups }, (_, g) => g);
    switch (this.call.fn) {
      case 'count':
        return { type: 'int64', values: this.counts.map((c) => BigInt(c)) };
      case 'avg':
        return {
          type: 'float64',
          values: rows.map((g) => (this.counts[g] ? Number(this.values[g]) / this.counts[g]! : null)),
        };
      default:
        return { type: this.valueType, values: rows.map((g) => (this.counts[g] ? this.outValue(g) : null)) };
    }
  }
}

/** Build a column from a state's output. */
export function stateColumn(c: { type: DataType; values: JsValue[] }) {
  return columnFromValues(c.type, c.values);
}

/** A Map key for a tuple of group values (NULL is its own group; -0 groups with 0). */
export function groupKey(values: readonly JsValue[]): unknown {
  if (values.length === 1) {
    const v = values[0]!;
    return v;
  }
  return JSON.stringify(
    values.map((v) => (typeof v === 'bigint' ? { b: String(v) } : Number.isNaN(v) ? { nan: 1 } : v)),
  );
}
