/**
 * The shape of a plugin's `manifest.json`: the contract between a `.wasm` module and the hosts
 * that load it. Built-in operators and user plugins share it; `validateManifest` checks it and
 * `schema/manifest.schema.json` states the same rules as JSON Schema for editors and other tools.
 */

/** Column types a plugin function may take or return (the engine's DataType names). */
export const PLUGIN_DATA_TYPES = ['bool', 'int32', 'int64', 'float64', 'date32', 'utf8'] as const;
export type PluginDataType = (typeof PLUGIN_DATA_TYPES)[number];

export const PLUGIN_KINDS = ['operator', 'scalar-udf', 'aggregate-udf', 'format-reader'] as const;
export type PluginKind = (typeof PLUGIN_KINDS)[number];

export const PLUGIN_TIERS = ['base', 'intermediary'] as const;
export type PluginTier = (typeof PLUGIN_TIERS)[number];

/** The ABI version this package's hosts speak. */
export const PLUGIN_ABI_VERSION = 1;

/** Upper bounds the validator enforces, so a manifest cannot ask for more than a node can give. */
export const MANIFEST_LIMITS = {
  /** 65536 pages = 4 GiB, the wasm32 address space. */
  maxMemoryPages: 65536,
  /** Ten minutes per call; anything longer is a job, not a function call. */
  maxTimeBudgetMs: 600_000,
  /**
   * Bytes of one group's state of an aggregate UDF: states travel between tiers as stateBytes/8
   * int64 columns per call, so a few KiB already makes a wide partial batch.
   */
  maxStateBytes: 4096,
} as const;

/**
 * One exported function with its column types. Every argument arrives as an Arrow column in the
 * imported memory; an index listed in `constArgs` arrives as a one-row column (a literal the
 * host does not broadcast).
 */
export interface PluginFunction {
  name: string;
  args: PluginDataType[];
  result: PluginDataType;
  constArgs?: number[];
  /**
   * Aggregate UDFs only (required there): bytes of one group's state, a positive multiple of 8
   * up to MANIFEST_LIMITS.maxStateBytes (see aggregate-udf-abi.ts).
   */
  stateBytes?: number;
  description?: string;
}

/** An export entry: a typed function, or (for operators and format readers) a bare export name. */
export type PluginExport = string | PluginFunction;

export interface PluginPersist {
  /** Snapshot the WASI scratch folder when the instance shuts down; restore it at the next start. */
  scratch: boolean;
  /** Largest snapshot kept, in bytes. */
  maxBytes?: number;
}

/** A validated manifest, as published beside a built module (`sha256` filled in). */
export interface PluginManifest {
  name: string;
  version: string;
  abiVersion: number;
  kind: PluginKind;
  description?: string;
  exports: PluginExport[];
  runsOn: PluginTier[];
  limits: { memoryPages: number; timeBudgetMs: number };
  /** Host imports as `module.name`, e.g. `env.memory`, `wasi_snapshot_preview1.fd_read`. */
  imports: string[];
  persist?: PluginPersist;
  /** Hex SHA-256 of the `.wasm` bytes; only source manifests (before the build) may lack it. */
  sha256: string;
  /** Build settings of source manifests; the build drops them from the published copy. */
  build?: { ascFlags?: string[] };
}

/** The name of an export entry, typed or not. */
export function exportName(entry: PluginExport): string {
  return typeof entry === 'string' ? entry : entry.name;
}

/** The typed functions of a manifest (bare export names are skipped). */
export function manifestFunctions(manifest: PluginManifest): PluginFunction[] {
  return manifest.exports.filter((e): e is PluginFunction => typeof e !== 'string');
}
