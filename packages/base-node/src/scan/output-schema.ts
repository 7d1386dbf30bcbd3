/**
 * The Arrow schema a fragment's output would have, for the one case where the executor gives
 * no batch to take it from: nothing matched. A client must still get a valid IPC stream that
 * names the columns.
 */
import { Field as ArrowField, Float64, Int64, Schema as ArrowSchema } from 'apache-arrow';
import {
  arrowTypeOf,
  inferExprType,
  partialStateColumns,
  type DataType,
  type Expr,
  type Fragment,
  type Schema,
} from '@pushdown/engine';

export function fragmentOutputSchema(fragment: Fragment, objectSchema: Schema): ArrowSchema {
  const byName = new Map(objectSchema.map((f) => [f.name, f]));
  // The evaluator's own typing rules, so the empty stream matches what batches would have had.
  const typeOf = (e: Expr): DataType => inferExprType(e, objectSchema);
  const fields: ArrowField[] = [];
  if (fragment.aggregate) {
    for (const g of fragment.aggregate.groupBy)
      fields.push(new ArrowField(g.name, arrowTypeOf(typeOf(g.expr)), true));
    for (const call of fragment.aggregate.aggregates) {
      const [first, second] = partialStateColumns(call);
      const argType = call.arg ? typeOf(call.arg) : 'int64';
      // An aggregate UDF's state: its bytes as int64 words, one column each.
      if (call.udf)
        for (const name of partialStateColumns(call)) fields.push(new ArrowField(name, new Int64(), false));
      else if (call.fn === 'count') fields.push(new ArrowField(first ?? call.name, new Int64(), false));
      else if (call.fn === 'avg') {
        fields.push(new ArrowField(first ?? call.name, new Float64(), true));
        fields.push(new ArrowField(second ?? call.name, new Int64(), false));
      } else if (call.fn === 'sum') {
        const t = argType === 'float64' ? new Float64() : new Int64();
        fields.push(new ArrowField(first ?? call.name, t, true));
      } else fields.push(new ArrowField(first ?? call.name, arrowTypeOf(argType), true));
    }
  } else if (fragment.project) {
    for (const p of fragment.project) fields.push(new ArrowField(p.name, arrowTypeOf(typeOf(p.expr)), true));
  } else {
    for (const c of fragment.columns) {
      const f = byName.get(c);
      fields.push(new ArrowField(c, arrowTypeOf(f?.type ?? 'utf8'), f?.nullable ?? true));
    }
  }
  return new ArrowSchema(fields);
}
