/**
 * The plan fragment that runs next to the data: on a base node (PUSHDOWN) or on the
 * intermediary over pulled bytes (NO_PUSHDOWN). Same code either way, same rows out.
 *
 * Pipeline: read `columns` of the object (Parquet row groups pruned by min/max statistics
 * against `filter`), keep rows where `filter` is true, then either project `project` or
 * compute `aggregate` partially. JSON-encoded in `ScanRequest.fragment_json`.
 */
import { pluginsOf, type Expr } from './expr.js';
import type { NamedExpr, PartialAggregate } from './aggregate.js';
import type { Schema } from './types.js';

export const FRAGMENT_VERSION = 1;

/** jsonl: read by the jsonl format-reader plugin (readers/plugin-reader.ts). */
export type ObjectFormat = 'parquet' | 'csv' | 'jsonl';

export interface Fragment {
  readonly version: typeof FRAGMENT_VERSION;
  readonly table: string;
  readonly object: string;
  readonly format: ObjectFormat;
  /** Schema of the object as the catalog knows it (CSV: declared or inferred at put). */
  readonly schema: Schema;
  /** Columns to read, in order; everything the filter and outputs need. */
  readonly columns: readonly string[];
  /** Rows pass when this is true (NULL counts as false). */
  readonly filter: Expr | null;
  /** Output expressions when the fragment does not aggregate. null = the read columns as they are. */
  readonly project: readonly NamedExpr[] | null;
  /** Partial aggregation; exclusive with `project`. */
  readonly aggregate: PartialAggregate | null;
  /** Stop after this many output rows (only without aggregate; the intermediary re-applies it). */
  readonly limit: number | null;
  /** Restrict a Parquet scan to these row groups (null = all that survive pruning). */
  readonly rowGroups: readonly number[] | null;
}

/** Execution stats of one fragment, in the shape of `ScanStats`. */
export interface FragmentStats {
  rowsScanned: number;
  bytesScanned: number;
  rowsOut: number;
  bytesOut: number;
  rowGroupsTotal: number;
  rowGroupsScanned: number;
  elapsedMs: number;
  stages: OperatorMetrics[];
  /** Degree of parallelism the scan ran with (1: on the calling thread). */
  parallelism: number;
  /** Distinct worker threads that ran its units (0 on the serial path). */
  workerThreads: number;
}

/** The baseline metrics every operator reports. */
export interface OperatorMetrics {
  name: string;
  rowsIn: number;
  rowsOut: number;
  bytesIn: number;
  bytesOut: number;
  bytesCopied: number;
  computeMs: number;
}

/** Object formats read by a format-reader plugin, with the plugin that reads each. */
export const PLUGIN_FORMAT_READERS: Readonly<Partial<Record<ObjectFormat, string>>> = { jsonl: 'jsonl' };

/**
 * Plugins a fragment runs, in first-seen order: the format reader of its object's format, then
 * scalar UDFs in its filter, outputs or aggregate, and aggregate UDFs. Placement pushes it only
 * to nodes with these very modules, and the executor runs it where a watchdog can stop them.
 */
export function fragmentPlugins(
  fragment: Pick<Fragment, 'filter' | 'project' | 'aggregate'> & { readonly format?: ObjectFormat },
): string[] {
  const out: string[] = [];
  const reader = fragment.format ? PLUGIN_FORMAT_READERS[fragment.format] : undefined;
  if (reader) out.push(reader);
  if (fragment.filter) pluginsOf(fragment.filter, out);
  for (const p of fragment.project ?? []) pluginsOf(p.expr, out);
  for (const g of fragment.aggregate?.groupBy ?? []) pluginsOf(g.expr, out);
  for (const a of fragment.aggregate?.aggregates ?? []) {
    if (a.arg) pluginsOf(a.arg, out);
    if (a.udf && !out.includes(a.udf.plugin)) out.push(a.udf.plugin);
  }
  return out;
}
