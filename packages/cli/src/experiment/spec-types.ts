/**
 * The experiment spec: what `pushdown experiment SPEC` runs. The YAML file is validated by
 * `validateSpec` (spec-validate.ts) into these types, with `SPEC_DEFAULTS` filling what the
 * file leaves out.
 *
 * @example experiments/tiny.yaml
 * name: tiny
 * topology: { baseNodes: [{ id: b1 }, { id: b2 }], intermediary: { port: 0 } }
 * data: { sf: 0.01, parts: 2 }
 * queries: [{ name: Q6, sql: tpch:Q6 }]
 * sweep: { cpus: [1.0], placement: [pushdown, no-pushdown], load: [2] }
 * run: { duration: 2, warmup: 0.5 }
 */
import type { PlacementName } from '../client/options.js';

/** Object formats the data is stored in; each one is its own table (see TABLE_OF_FORMAT). */
export const DATA_FORMATS = ['parquet', 'csv'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

/** Queries name `lineitem`; the runner points them at the table that holds the swept format. */
export const TABLE_OF_FORMAT: Readonly<Record<DataFormat, string>> = Object.freeze({
  parquet: 'lineitem',
  csv: 'lineitem_csv',
});

export const ARRIVALS = ['poisson', 'fixed'] as const;
/** `poisson`: exponential gaps (independent users); `fixed`: exactly 1/rate apart. */
export type Arrival = (typeof ARRIVALS)[number];

export interface DataSpec {
  /** TPC-H scale factor of lineitem (SF 1 ≈ 6M rows). */
  sf: number;
  /** Part files per format, spread round-robin over the base nodes. */
  parts: number;
  seed: number;
  rowGroupSize: number;
  compression: 'zstd' | 'snappy' | 'none';
}

/**
 * How a selectivity (fraction of rows that pass) becomes the query's `{param}` value:
 * an explicit map, or a calibration that reads the column's distribution once and picks the
 * smallest value v with fraction(column < v) >= selectivity (the template's predicate must be
 * `column < {param}` for that to mean anything).
 */
export type SelectivityMapping =
  { kind: 'values'; values: ReadonlyMap<number, string> } | { kind: 'calibrate'; column: string };

export interface QuerySpec {
  name: string;
  /** SQL over `lineitem`; `{param}` marks the selectivity parameter. */
  sql: string;
  /** The parameter name inside braces, when the query is a selectivity template. */
  param?: string;
  selectivity?: SelectivityMapping;
}

/** Every list is one sweep dimension; the runner runs their cartesian product. */
export interface SweepSpec {
  /** Base-node CPU quota in cores (1.0 = one full core). */
  cpus: number[];
  placement: PlacementName[];
  format: DataFormat[];
  /** Used by template queries only; plain queries run once per other combination. */
  selectivity: number[];
  /** max_concurrency of the query (base fragments in flight); 0 = the server default. */
  parallelism: number[];
  /** Offered load in queries per second (open loop). */
  load: number[];
}

export interface RunSpec {
  arrival: Arrival;
  /** Seconds of measured load per sweep point and repetition. */
  duration: number;
  /** Seconds of load before that, not counted (caches, JIT, connection set-up). */
  warmup: number;
  repetitions: number;
  /** Most queries in flight; a query due while the cap is reached is dropped and counted. */
  maxOutstanding: number;
  /** Per-query deadline in seconds. */
  timeout: number;
  /** Seconds to pause after a CPU quota change before measuring. */
  settle: number;
}

export interface ExperimentSpec {
  name: string;
  description: string;
  /** Seeds the arrival schedule; data has its own seed (data.seed). */
  seed: number;
  /** A topology file (resolved relative to the spec), or the topology inline. */
  topology: { file: string } | { inline: unknown };
  data: DataSpec;
  queries: QuerySpec[];
  sweep: SweepSpec;
  run: RunSpec;
}

export const SPEC_DEFAULTS = Object.freeze({
  description: '',
  seed: 1,
  data: Object.freeze({ sf: 0.01, parts: 4, seed: 1, rowGroupSize: 16_384, compression: 'zstd' as const }),
  sweep: Object.freeze({
    cpus: [1.0],
    placement: ['pushdown', 'no-pushdown'] as PlacementName[],
    format: ['parquet'] as DataFormat[],
    selectivity: [] as number[],
    parallelism: [0],
    load: [1],
  }),
  run: Object.freeze({
    arrival: 'poisson' as Arrival,
    duration: 10,
    warmup: 2,
    repetitions: 1,
    maxOutstanding: 32,
    timeout: 60,
    settle: 0.5,
  }),
});
