/**
 * How a table is split into part files: part p of N covers the contiguous unit (order) range
 * [floor(p*U/N), floor((p+1)*U/N)), and is named `<table>-<ppppp>-of-<NNNNN>.<ext>`, e.g.
 * `lineitem-00000-of-00004.parquet`. Zero-padded so names sort in part order.
 */
import type { GenFormat } from './options.js';

export interface PartRange {
  readonly part: number;
  /** First unit (inclusive). */
  readonly from: number;
  /** Last unit (exclusive). */
  readonly to: number;
}

export const FORMAT_EXTENSIONS: Record<GenFormat, string> = { parquet: 'parquet', csv: 'csv' };

export function partRange(units: number, parts: number, part: number): PartRange {
  return { part, from: Math.floor((part * units) / parts), to: Math.floor(((part + 1) * units) / parts) };
}

export function partFileName(table: string, part: number, parts: number, format: GenFormat): string {
  const pad = (n: number): string => String(n).padStart(5, '0');
  return `${table}-${pad(part)}-of-${pad(parts)}.${FORMAT_EXTENSIONS[format]}`;
}
