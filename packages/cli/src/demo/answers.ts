/**
 * Compares two query answers (Arrow tables) cell by cell. Sums of doubles may legitimately
 * differ in the last bits when placements add partial sums in another order, so floats get a
 * relative tolerance and are reported as such rather than hidden.
 */
import { DataType, type Table } from 'apache-arrow';

export type AnswerMatch = 'identical' | 'equal within 1e-9' | 'DIFFERENT';

export const FLOAT_TOLERANCE = 1e-9;

export function compareAnswers(a: Table, b: Table): { match: AnswerMatch; detail?: string } {
  const fa = a.schema.fields.map((f) => f.name);
  const fb = b.schema.fields.map((f) => f.name);
  if (fa.join('\0') !== fb.join('\0'))
    return { match: 'DIFFERENT', detail: `columns ${fa.join(',')} vs ${fb.join(',')}` };
  if (a.numRows !== b.numRows) return { match: 'DIFFERENT', detail: `${a.numRows} vs ${b.numRows} rows` };
  let exact = true;
  for (let c = 0; c < fa.length; c++) {
    const va = a.getChildAt(c)!;
    const vb = b.getChildAt(c)!;
    const isFloat = DataType.isFloat(va.type) || DataType.isFloat(vb.type);
    for (let r = 0; r < a.numRows; r++) {
      const x = normalize(va.get(r));
      const y = normalize(vb.get(r));
      if (x === y || (Number.isNaN(x) && Number.isNaN(y))) continue;
      if (isFloat && typeof x === 'number' && typeof y === 'number') {
        const scale = Math.max(Math.abs(x), Math.abs(y), 1e-300);
        if (Math.abs(x - y) / scale <= FLOAT_TOLERANCE) {
          exact = false;
          continue;
        }
      }
      return { match: 'DIFFERENT', detail: `row ${r}, column ${fa[c]}: ${String(x)} vs ${String(y)}` };
    }
  }
  return { match: exact ? 'identical' : 'equal within 1e-9' };
}

function normalize(v: unknown): unknown {
  if (typeof v === 'bigint')
    return Number(v) === Number(v) && Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
  if (v !== null && typeof v === 'object') return String(v);
  return v;
}
