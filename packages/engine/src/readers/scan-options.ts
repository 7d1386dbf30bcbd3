/**
 * Checks shared by every reader's scan(): requested columns exist, batchRows is sane.
 */
import { InvalidArgumentError } from '@pushdown/proto';
import type { Schema } from '../plan/types.js';

export const DEFAULT_BATCH_ROWS = 65_536;

/** File column index of each requested column, in request order. */
export function resolveColumns(fields: Schema, columns: readonly string[], what: string): number[] {
  const index = new Map(fields.map((f, i) => [f.name, i]));
  return columns.map((name) => {
    const i = index.get(name);
    if (i === undefined) {
      throw new InvalidArgumentError(`unknown column "${name}" in ${what}`, {
        hint: `its columns are ${fields.map((f) => f.name).join(', ')}`,
      });
    }
    return i;
  });
}

export function resolveBatchRows(batchRows: number | undefined): number {
  if (batchRows === undefined) return DEFAULT_BATCH_ROWS;
  if (!Number.isInteger(batchRows) || batchRows < 1)
    throw new InvalidArgumentError('batchRows must be a positive integer');
  return batchRows;
}
