/**
 * @pushdown/cli: the typed client library of Pushdown Lab, the local topology launcher, and the
 * TPC-H demo. The `pushdown` command itself is `bin/pushdown.js` (dist/main.js).
 *
 * @example
 * import { PushdownClient, Q6_SQL } from '@pushdown/cli';
 * const client = new PushdownClient('127.0.0.1:50051');
 * const { table, stats } = await client.queryTable(Q6_SQL, { placement: 'pushdown' });
 * client.close();
 */

// ---- client ----
export { PushdownClient, collectBytes } from './client/pushdown-client.js';
export type {
  QueryOptions,
  QueryResult,
  TableResult,
  PushdownClientOptions,
} from './client/pushdown-client.js';
export type { CallControl } from './client/call-options.js';
export {
  BaseNodeAdmin,
  putObject,
  listObjects,
  sha256OfFile,
  inferFormat,
  PUT_CHUNK_BYTES,
  OBJECT_FORMATS,
} from './client/base-node-admin.js';
export type { PutObjectOptions, ObjectFormat } from './client/base-node-admin.js';
export { checkHealth } from './client/health.js';
export type { HealthStatus, HealthResult } from './client/health.js';
export {
  PLACEMENT_NAMES,
  RESULT_FORMAT_NAMES,
  parsePlacement,
  placementToWire,
  placementFromWire,
  formatToWire,
  validateAddress,
} from './client/options.js';
export type { PlacementName, ResultFormatName } from './client/options.js';

// ---- errors and exit codes ----
export { ExitCode, describeError, formatErrorLine } from './client/errors.js';
export type { DescribedError } from './client/errors.js';

// ---- formatting ----
export { formatBoxTable, DEFAULT_BOX_TABLE_OPTIONS } from './format/box-table.js';
export type { BoxColumn, BoxTableOptions } from './format/box-table.js';
export { formatArrowTable, formatValue, tableCells, numberText, decimalText } from './format/arrow-cells.js';
export { querySummaryLine, formatQueryStats, placementSummary } from './format/query-stats.js';
export { formatBytes, formatMs, formatCount } from './format/units.js';

// ---- topology ----
export {
  DEFAULT_TOPOLOGY,
  DEFAULT_INTERMEDIARY_PORT,
  DEFAULT_MEMORY_BUDGET,
  NO_LINK,
  validateTopology,
  loadTopology,
} from './topology/topology.js';
export type {
  Topology,
  BaseNodeSpec,
  IntermediarySpec,
  LinkSpec,
  TableSpec,
  GenTableSpec,
  ValidateOptions,
} from './topology/topology.js';
export { TOPOLOGY_JSON_SCHEMA } from './topology/topology-schema.js';
export { loadTables, placeParts, ensureTableFiles } from './topology/table-loader.js';
export type { LoadTablesOptions, Placement } from './topology/table-loader.js';
export {
  launchTopology,
  stopProcesses,
  DEFAULT_READY_TIMEOUT_MS,
  DEFAULT_STOP_TIMEOUT_MS,
  DEFAULT_CALIBRATE_MS,
} from './topology/launcher.js';
export type {
  LaunchOptions,
  LaunchedTopology,
  LaunchTopology,
  ProcessExit,
  StopResult,
} from './topology/launcher.js';
export {
  STATE_FILE_NAME,
  stateFilePath,
  readState,
  writeState,
  removeState,
  readLiveState,
  inspectState,
  isAlive,
} from './topology/state-file.js';
export type {
  TopologyState,
  ProcessRecord,
  ProcessRole,
  StateInspection,
  NodeLimits,
  ThrottlingState,
} from './topology/state-file.js';

// ---- cgroups (CPU quota and memory limit per node) ----
export { cgroupSupport, DEFAULT_CGROUP_ROOT } from './cgroups/cgroup-layout.js';
export type { CgroupSupport } from './cgroups/cgroup-layout.js';
export { setNodeCpuQuota, cgroupName, prepareCgroups } from './cgroups/topology-cgroups.js';
export type { CgroupMode, CgroupSetup } from './cgroups/topology-cgroups.js';
export {
  DEFAULT_CPU_PERIOD_US,
  createNodeCgroup,
  procsFiles,
  readCgroupCpuStat,
  removeNodeCgroup,
  removeLeftoverCgroups,
  setCgroupCpuQuota,
} from './cgroups/node-cgroup.js';
export type { NodeCgroup, CgroupLimits, CgroupCpuStat } from './cgroups/node-cgroup.js';
export { sampleCgroupLoad } from './cgroups/cgroup-load.js';
export type { CgroupLoad } from './cgroups/cgroup-load.js';
export { defaultServerScripts } from './topology/server-scripts.js';
export type { ServerScripts } from './topology/server-scripts.js';

// ---- demo (TPC-H Q1/Q6 under both placements) ----
export { Q1_SQL, Q6_SQL, TPCH_QUERIES, overTable } from './demo/tpch-queries.js';
export type { TpchQuery } from './demo/tpch-queries.js';
export { runDemo, formatDemoComparison, DEMO_TABLES, DEMO_PLACEMENTS } from './demo/run-demo.js';
export type { DemoOptions, DemoReport, DemoRun, DemoTable } from './demo/run-demo.js';
export { compareAnswers, FLOAT_TOLERANCE } from './demo/answers.js';
export type { AnswerMatch } from './demo/answers.js';
export { ensureDemoData, loadDemoData, waitForCatalog, demoDataDir } from './demo/demo-data.js';
export type { DemoFiles } from './demo/demo-data.js';

// ---- CLI (embedding and tests) ----
export { runCli, buildProgram } from './commands/program.js';
export type { CliContext, OutputStream } from './commands/context.js';

// ---- TPC-H data generation (`pushdown gen`) ----
export {
  generateTable,
  GEN_DEFAULTS,
  GEN_FORMATS,
  PARQUET_COMPRESSIONS,
  resolveGenOptions,
  tableNames,
  partFileName,
  LINEITEM_SCHEMA,
  createProgressBar,
} from './gen/index.js';
export type {
  GenOptionsInput,
  GenResult,
  GeneratedFile,
  GenFormat,
  ParquetCompression,
  GenProgress,
} from './gen/index.js';

// ---- experiments (`pushdown experiment`) ----
export {
  runExperiment,
  validateSpec,
  loadSpec,
  parseSpec,
  expandSweep,
  runOpenLoop,
  LatencyHistogram,
  SPEC_DEFAULTS,
  SUMMARY_COLUMNS,
  OUTPUT_FILES,
  cgroupQuotaStep,
  noQuotaStep,
  lineChart,
  chartGrid,
  svgToPng,
} from './experiment/index.js';
export type {
  ExperimentSpec,
  ExperimentOptions,
  ExperimentResult,
  SweepPoint,
  OpenLoopOptions,
  LoadRecord,
  PointSummary,
  RawRecord,
  QuotaStep,
  LineChartOptions,
  ChartSeries,
} from './experiment/index.js';
