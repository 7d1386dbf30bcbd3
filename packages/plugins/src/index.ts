/**
 * WASM operators and plugins. Built-in operators live in `operators/<name>/`, example plugins in
 * `plugins/<name>/` (AssemblyScript source and `manifest.json`); `npm run build` compiles both to
 * `build/<name>.wasm` with a published manifest beside each (SHA-256 filled in) and writes the
 * registry index `registry/index.json`.
 *
 * @example
 * const bytes = await readFile(operatorWasmPath('filter'));
 * const plugin = await verifyPlugin(loadRegistry().find('hash64')!.wasmPath);
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// ---- manifests ----
export {
  exportName,
  manifestFunctions,
  MANIFEST_LIMITS,
  PLUGIN_ABI_VERSION,
  PLUGIN_DATA_TYPES,
  PLUGIN_KINDS,
  PLUGIN_TIERS,
  type PluginDataType,
  type PluginExport,
  type PluginFunction,
  type PluginKind,
  type PluginManifest,
  type PluginPersist,
  type PluginTier,
} from './manifest-types.js';
export { manifestProblems, validateManifest, type ValidateManifestOptions } from './manifest-validate.js';

// ---- verification ----
export {
  moduleProblems,
  resolvePluginFiles,
  sha256Hex,
  verifyPlugin,
  type PluginFiles,
  type VerifiedPlugin,
} from './plugin-verify.js';
export {
  readWasmModuleInfo,
  type ExternKind,
  type WasmExport,
  type WasmImport,
  type WasmModuleInfo,
} from './wasm-binary.js';

// ---- registry and install folders ----
export {
  installPlugin,
  listInstalledPlugins,
  loadRegistry,
  pluginInstallDir,
  REGISTRY_INDEX_PATH,
  removePlugin,
  type InstalledPlugin,
  type InstallOptions,
  type InstallResult,
  type Registry,
  type RegistryEntry,
} from './registry.js';

export {
  configurePluginDirs,
  findLibraryPlugin,
  libraryGeneration,
  libraryPlugins,
  pluginDirs,
  refreshPluginLibrary,
  type LibraryPlugin,
} from './plugin-library.js';

// ---- plugins sent as bytes (install by content hash) and built from AssemblyScript ----
export {
  installPluginUpload,
  MAX_PLUGIN_MANIFEST_BYTES,
  MAX_PLUGIN_MODULE_BYTES,
  verifyPluginUpload,
  type PluginUpload,
  type VerifiedUpload,
} from './plugin-upload.js';
export {
  buildPluginFolder,
  compileAssemblyScript,
  PLUGIN_ASC_FLAGS,
  publishedManifest,
  type BuiltPlugin,
} from './plugin-build.js';

// ---- the scalar-UDF ABI and a reference host ----
export { columnBytes, PLUGIN_ARENA_BASE, scalarUdfSignature, TYPE_WIDTH } from './udf-abi.js';
export { REFERENCE_UDFS, type ReferenceUdf } from './reference-udfs.js';
export {
  classifyUdfFailure,
  DEFAULT_UDF_MAX_OUTPUT_BYTES,
  instantiateUdf,
  type UdfColumn,
  type UdfHostOptions,
  type UdfInstance,
  type UdfResult,
} from './udf-host.js';

// ---- the sandbox: calls in worker threads with time, memory and output limits ----
export { PluginSandbox, sandboxWorkerFile } from './sandbox/plugin-sandbox.js';
export {
  SANDBOX_DEFAULTS,
  type PluginCallOptions,
  type PluginSandboxOptions,
} from './sandbox/sandbox-options.js';
export {
  aggregateUdfInstance,
  functionCatalog,
  udfInstance,
  type FunctionCatalog,
  type UdfFunction,
} from './function-catalog.js';

// ---- the aggregate-UDF ABI (init/update/merge/finalize over host-owned states) and its host ----
export {
  AGGREGATE_UDF_PHASES,
  aggregateExportName,
  aggregateUdfSignatures,
  stateWords,
  type AggregateUdfPhase,
} from './aggregate-udf-abi.js';
export { instantiateAggregateUdf, type AggregateUdfInstance } from './aggregate-udf-host.js';
// Merge/finalize/init with a time budget on threads no watchdog covers (a blocking worker call).
export {
  aggregateSandbox,
  BLOCKING_SANDBOX_DEFAULTS,
  BlockingAggregateSandbox,
  type BlockingSandboxOptions,
  type BlockingStop,
} from './sandbox/blocking-call.js';
export { REFERENCE_AGGREGATES, type ReferenceAggregate } from './reference-aggregates.js';

// ---- WASI preview 1: an in-memory filesystem tailored to each module, snapshots, trace ----
export {
  DEFAULT_SCRATCH_LIMIT_BYTES,
  WASI_MODULE,
  WasiExit,
  type HostCall,
  type WasiHost,
  type WasiOptions,
} from './wasi/wasi-types.js';
export { createWasiHost } from './wasi/wasi-host.js';
export {
  formatHostCall,
  formatTraceSummary,
  isFailedCall,
  summarizeHostCalls,
  traceImports,
  type HostCallSummary,
} from './wasi/wasi-trace.js';
export { ERRNO as WASI_ERRNO, errnoName as wasiErrnoName } from './wasi/wasi-abi.js';
export { unsupportedWasiImports, WASI_FUNCTIONS } from './wasi/wasi-signatures.js';
export {
  runWasiModule,
  type RunWasiModuleOptions,
  type RunWasiModuleResult,
} from './wasi/run-wasi-module.js';
export { decodeScratchSnapshot, encodeScratchSnapshot, scratchSize } from './wasi/scratch-snapshot.js';
export {
  loadPersistedScratch,
  loadPersistedScratchSync,
  persistedScratchPath,
  savePersistedScratch,
  savePersistedScratchSync,
} from './wasi/scratch-persist.js';
export { scratchPersistence, type ScratchPersistence } from './wasi/scratch-persistence.js';
export { configurePluginStateDir, pluginStateDir } from './plugin-state-dir.js';

// ---- format readers: plugins that read an object's format through WASI (format-reader ABI 1) ----
export {
  FORMAT_READER_ABI_VERSION,
  FORMAT_READER_ENV,
  FORMAT_READER_EXPORTS,
  FORMAT_READER_STATUS,
  FORMAT_READER_TYPES,
  type ColumnDescriptor,
} from './format-reader/format-reader-abi.js';
export { formatReaderModule, type FormatReaderPlugin } from './format-reader/format-reader-module.js';
export {
  FORMAT_READER_DEFAULT_BATCH_ROWS,
  readFormatSchema,
  runFormatReader,
  type FormatBatch,
  type FormatField,
  type FormatReaderOptions,
} from './format-reader/run-format-reader.js';

// dist/index.js → package root; also right for src/index.ts under jest.
const PACKAGE_ROOT = resolve(import.meta.dirname, '..');

/** Folder that holds the built `.wasm` modules and their manifests. */
export const BUILD_DIR = join(PACKAGE_ROOT, 'build');

/** Path of a built operator module, e.g. `operatorWasmPath('filter')`. */
export function operatorWasmPath(name: string): string {
  const path = join(BUILD_DIR, `${name}.wasm`);
  if (!existsSync(path)) {
    throw new Error(`WASM operator "${name}" is not built (${path} is missing); run \`npm run build\``);
  }
  return path;
}

/**
 * The manifest fields the engine's operator loader reads. Operators list bare export names;
 * `PluginManifest` is the full, validated shape (typed UDF exports, persist, ...).
 */
export interface OperatorManifest {
  name: string;
  version: string;
  abiVersion: number;
  kind: 'operator' | 'scalar-udf' | 'aggregate-udf' | 'format-reader';
  exports: string[];
  runsOn: ('base' | 'intermediary')[];
  limits: { memoryPages: number; timeBudgetMs: number };
  imports: string[];
  sha256: string;
}

/** The published manifest of a built operator. */
export function operatorManifest(name: string): OperatorManifest {
  return JSON.parse(readFileSync(join(BUILD_DIR, `${name}.manifest.json`), 'utf8')) as OperatorManifest;
}
