/**
 * The experiment runner's public surface: specs (types, defaults, validation, loading), the
 * open-loop load generator, the runner, and the chart module it draws with.
 */

// ---- spec ----
export { SPEC_DEFAULTS, DATA_FORMATS, ARRIVALS, TABLE_OF_FORMAT } from './spec-types.js';
export type {
  ExperimentSpec,
  DataSpec,
  QuerySpec,
  SweepSpec,
  RunSpec,
  Arrival,
  DataFormat,
  SelectivityMapping,
} from './spec-types.js';
export { validateSpec, BUILTIN_QUERIES } from './spec-validate.js';
export { loadSpec, parseSpec, resolveTopology } from './spec-load.js';
export type { LoadedSpec } from './spec-load.js';
export { expandSweep, sqlFor, describePoint } from './sweep.js';
export type { SweepPoint } from './sweep.js';

// ---- load generation and measurement ----
export { runOpenLoop } from './load-generator.js';
export type { OpenLoopOptions, OpenLoopResult, LoadRecord, LoadStatus } from './load-generator.js';
export { LatencyHistogram } from './histogram.js';
export type { LatencySummary } from './histogram.js';

// ---- runner ----
export { runExperiment, QUICK_CHECK_RUN } from './runner.js';
export type { ExperimentOptions, ExperimentResult } from './runner.js';
export { cgroupQuotaStep, noQuotaStep } from './quota.js';
export type { QuotaStep, QuotaOutcome } from './quota.js';
export { SUMMARY_COLUMNS, summaryCsv } from './summary.js';
export type { PointSummary, RawRecord, QueryOutcome } from './summary.js';
export { OUTPUT_FILES } from './outputs.js';
export type { RunInfo } from './run-record.js';

// ---- charts ----
export { lineChart, chartGrid, PALETTE } from './chart/line-chart.js';
export type { LineChartOptions, ChartSeries, ChartPoint } from './chart/line-chart.js';
export { svgToPng } from './chart/png.js';
export { buildPlots } from './plots.js';
export type { Plot } from './plots.js';
