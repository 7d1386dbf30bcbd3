/**
 * ORDER BY over a whole (already concatenated) batch: any number of keys, ASC/DESC, NULLS
 * FIRST/LAST as given, stable (ties keep input order). Key values are extracted once into JS
 * arrays (utf8 as bytes, compared bytewise like DuckDB), then a permutation is sorted and every
 * column gathered through it.
 */
import type { RecordBatch } from 'apache-arrow';
import type { DataType } from '../plan/types.js';
import {
  columnData,
  gatherColumn,
  makeBatch,
  readBytes,
  readValue,
  schemaOfBatch,
  type JsValue,
} from './arrow-columns.js';
import { compareBytes, compareValues } from './scalar-values.js';
import type { Data } from 'apache-arrow';

export interface SortColumn {
  readonly data: Data;
  readonly type: DataType;
  readonly desc: boolean;
  readonly nullsFirst: boolean;
}

/** The row order that sorts `keys`; `offset`/`limit` cut it afterwards. */
export function sortPermutation(rows: number, keys: readonly SortColumn[]): Int32Array {
  const extracted = keys.map((k) => {
    const values: (JsValue | Uint8Array)[] = new Array(rows);
    for (let i = 0; i < rows; i++) {
      const v = readValue(k.data, k.type, i);
      values[i] = v !== null && k.type === 'utf8' ? readBytes(k.data, i) : v;
    }
    return values;
  });
  const order = Array.from({ length: rows }, (_, i) => i);
  order.sort((x, y) => {
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const a = extracted[k]![x]!;
      const b = extracted[k]![y]!;
      if (a === null || b === null) {
        if (a === b) continue;
        return (a === null) === key.nullsFirst ? -1 : 1;
      }
      let c = a instanceof Uint8Array ? compareBytes(a, b as Uint8Array) : compareValues(a, b as JsValue);
      if (c !== 0) {
        if (key.desc) c = -c;
        return c;
      }
    }
    return 0;
  });
  return Int32Array.from(order);
}

/** Rows `idx` of every column of `batch`. */
export function takeRows(batch: RecordBatch, idx: Int32Array): RecordBatch {
  const schema = schemaOfBatch(batch);
  return makeBatch(
    schema,
    schema.map((f, i) => gatherColumn(f.type, columnData(batch, i), idx)),
    idx.length,
  );
}
