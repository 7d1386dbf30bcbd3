/**
 * The demo `npm start` ends with: TPC-H Q1 and Q6 under pushdown and no-pushdown over the
 * Parquet and CSV copies of lineitem, the answers, and a side-by-side comparison of latency,
 * bytes shipped between tiers, rows scanned, and whether both placements agree.
 *
 * @example
 * const client = new PushdownClient('127.0.0.1:50051');
 * const report = await runDemo(client, { out: process.stdout });
 * if (!report.allAgree) process.exitCode = 1;
 */
import type { QueryStats__Output } from '@pushdown/proto';
import type { Table } from 'apache-arrow';
import type { PlacementName } from '../client/options.js';
import type { PushdownClient } from '../client/pushdown-client.js';
import { formatArrowTable } from '../format/arrow-cells.js';
import { formatBoxTable } from '../format/box-table.js';
import { formatBytes, formatCount } from '../format/units.js';
import { compareAnswers, type AnswerMatch } from './answers.js';
import { overTable, TPCH_QUERIES, type TpchQuery } from './tpch-queries.js';

export interface DemoTable {
  table: string;
  /** Shown in the comparison: "parquet", "csv". */
  format: string;
}

export const DEMO_TABLES: readonly DemoTable[] = [
  { table: 'lineitem', format: 'parquet' },
  { table: 'lineitem_csv', format: 'csv' },
];

export const DEMO_PLACEMENTS: readonly PlacementName[] = ['pushdown', 'no-pushdown'];

export interface DemoOptions {
  tables?: readonly DemoTable[];
  queries?: readonly TpchQuery[];
  placements?: readonly PlacementName[];
  /** Where answers and the comparison are printed; nothing is printed without it. */
  out?: { write(s: string): unknown };
  signal?: AbortSignal;
}

export interface DemoRun {
  query: string;
  table: string;
  format: string;
  placement: PlacementName;
  /** Wall-clock time of the call at the client. */
  latencyMs: number;
  stats: QueryStats__Output;
  answer: Table;
  /** Versus the first placement's answer for the same query and table. */
  match: AnswerMatch;
  mismatch?: string;
}

export interface DemoReport {
  runs: DemoRun[];
  /** Every placement gave the same answer for every query and table. */
  allAgree: boolean;
}

/** Runs every query over every table under every placement, sequentially (latencies stay clean). */
export async function runDemo(client: PushdownClient, options: DemoOptions = {}): Promise<DemoReport> {
  const tables = options.tables ?? DEMO_TABLES;
  const queries = options.queries ?? TPCH_QUERIES;
  const placements = options.placements ?? DEMO_PLACEMENTS;
  const print = (s: string) => options.out?.write(`${s}\n`);
  const runs: DemoRun[] = [];
  for (const q of queries) {
    for (const t of tables) {
      let reference: Table | undefined;
      for (const placement of placements) {
        const started = performance.now();
        const { table: answer, stats } = await client.queryTable(overTable(q.sql, t.table), {
          placement,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        const latencyMs = performance.now() - started;
        const cmp = reference ? compareAnswers(reference, answer) : { match: 'identical' as const };
        if (!reference) {
          reference = answer;
          print(`\n${q.name} over ${t.table} (${t.format}), ${placement}:`);
          print(formatArrowTable(answer));
        }
        runs.push({
          query: q.name,
          table: t.table,
          format: t.format,
          placement,
          latencyMs,
          stats,
          answer,
          match: cmp.match,
          ...(cmp.detail ? { mismatch: cmp.detail } : {}),
        });
      }
    }
  }
  print('');
  print(formatDemoComparison(runs));
  for (const r of runs.filter((x) => x.mismatch))
    print(`  ${r.query} ${r.table} ${r.placement}: ${r.mismatch}`);
  return { runs, allAgree: runs.every((r) => r.match !== 'DIFFERENT') };
}

/** The side-by-side table: one row per (query, table, placement). */
export function formatDemoComparison(runs: readonly DemoRun[]): string {
  return formatBoxTable(
    [
      { name: 'query', align: 'left' },
      { name: 'table', align: 'left' },
      { name: 'placement', align: 'left' },
      { name: 'latency ms', align: 'right' },
      { name: 'shipped between tiers', align: 'right' },
      { name: 'rows scanned', align: 'right' },
      { name: 'rows', align: 'right' },
      { name: 'same answer', align: 'left' },
    ],
    runs.map((r) => [
      r.query,
      `${r.table} (${r.format})`,
      r.placement,
      r.latencyMs.toFixed(1),
      formatBytes(r.stats.bytesShipped),
      formatCount(r.stats.rowsScanned),
      String(r.answer.numRows),
      r.match,
    ]),
    { maxRows: 1000 },
  );
}
