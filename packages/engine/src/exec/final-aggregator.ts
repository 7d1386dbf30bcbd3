/**
 * The final aggregate on the intermediary: merges partial-aggregate batches (group columns, then
 * state columns per partialStateColumns) into one row per group with the calls' final values.
 * Partials are small (one row per group per fragment), so this runs in plain JS.
 */
import type { Data, RecordBatch, Schema as ArrowSchema } from 'apache-arrow';
import { ExecutionError } from '@pushdown/proto';
import { partialStateColumns, type AggregateCall } from '../plan/aggregate.js';
import type { DataType, Schema } from '../plan/types.js';
import { AggState, groupKey } from './agg-state.js';
import { stateFromWords, UdfAggState } from './udf-agg-state.js';
import {
  columnData,
  columnFromValues,
  logicalType,
  makeBatch,
  readBytes,
  readValue,
  type JsValue,
} from './arrow-columns.js';

export class FinalAggregator {
  private schema: Schema | null;
  private states: AggState[] | null = null;
  private readonly groupIndex = new Map<unknown, number>();
  private readonly keyValues: JsValue[][];

  /** `partialSchema` (ours or Arrow's) fixes output types even when no partial arrives. */
  constructor(
    readonly groupBy: readonly string[],
    readonly aggregates: readonly AggregateCall[],
    partialSchema?: Schema | ArrowSchema,
  ) {
    this.schema = partialSchema ? toSchema(partialSchema) : null;
    this.keyValues = groupBy.map(() => []);
    if (this.schema) this.init(this.schema);
  }

  private typeOf(schema: Schema, name: string): DataType {
    const f = schema.find((x) => x.name === name);
    if (!f) throw new ExecutionError(`partial aggregate input lacks column "${name}"`);
    return f.type;
  }

  private init(schema: Schema): void {
    this.states = this.aggregates.map((c) => {
      if (c.udf) return new UdfAggState({ ...c, udf: c.udf });
      const first = partialStateColumns(c)[0]!;
      // Without any schema (no partial ever arrived) a SUM/MIN/MAX is an all-NULL float64.
      const t =
        c.fn === 'count'
          ? 'int64'
          : c.fn === 'avg'
            ? 'float64'
            : schema.length
              ? this.typeOf(schema, first)
              : 'float64';
      return new AggState(c, t);
    });
  }

  push(partial: RecordBatch): void {
    const schema = partial.schema.fields.map((f) => ({
      name: f.name,
      type: logicalType(f.type, f.name),
      nullable: true,
    }));
    if (!this.schema) {
      this.schema = schema;
      this.init(schema);
    }
    const states = this.states!;
    const col = (name: string) => {
      const i = schema.findIndex((f) => f.name === name);
      if (i < 0) throw new ExecutionError(`partial aggregate input lacks column "${name}"`);
      return { data: columnData(partial, i), type: schema[i]!.type };
    };
    const keys = this.groupBy.map(col);
    const inputs = this.aggregates.map((c) => partialStateColumns(c).map(col));
    for (let r = 0; r < partial.numRows; r++) {
      const values = keys.map((k) => readValue(k.data, k.type, r));
      const key = groupKey(values);
      let g = this.groupIndex.get(key);
      if (g === undefined) {
        g = this.groupIndex.size;
        this.groupIndex.set(key, g);
        values.forEach((v, k) => this.keyValues[k]!.push(v));
        for (const s of states) s.addGroup();
      }
      this.aggregates.forEach((c, i) => {
        if (c.udf) {
          // The state's int64 words, merged in arrival (fragment) order by the plugin's _merge.
          const words = inputs[i]!.map((w) => readValue(w.data, 'int64', r));
          return states[i]!.merge(g, stateFromWords(words) as unknown as JsValue, 1);
        }
        const [a, b] = inputs[i]!;
        const v = readValue(a!.data, a!.type, r);
        if (c.fn === 'count') states[i]!.merge(g, null, Number(v ?? 0));
        else if (c.fn === 'avg') states[i]!.merge(g, v, Number(readValue(b!.data, b!.type, r) ?? 0));
        else if (v !== null) {
          const value = a!.type === 'utf8' ? (readBytes(a!.data, r).slice() as unknown as JsValue) : v;
          states[i]!.merge(g, value, 1);
        }
      });
    }
  }

  finish(): RecordBatch {
    if (!this.states) this.init(this.schema ?? []);
    if (this.groupBy.length === 0 && this.groupIndex.size === 0) {
      this.groupIndex.set(0, 0);
      for (const s of this.states!) s.addGroup();
    }
    const fields: { name: string; type: DataType }[] = [];
    const cols: Data[] = [];
    this.groupBy.forEach((name, k) => {
      const type = this.schema ? this.typeOf(this.schema, name) : 'utf8';
      fields.push({ name, type });
      cols.push(columnFromValues(type, this.keyValues[k]!));
    });
    this.aggregates.forEach((c, i) => {
      const out = this.states![i]!.finalColumn();
      fields.push({ name: c.name, type: out.type });
      cols.push(columnFromValues(out.type, out.values));
    });
    return makeBatch(fields, cols, this.groupIndex.size);
  }
}

function toSchema(s: Schema | ArrowSchema): Schema {
  if (Array.isArray(s)) return s as Schema;
  return (s as ArrowSchema).fields.map((f) => ({
    name: f.name,
    type: logicalType(f.type, f.name),
    nullable: f.nullable,
  }));
}
