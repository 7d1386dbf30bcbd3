/**
 * The public shapes of the WASI preview-1 layer: what a host is built from (`WasiOptions`), what it
 * hands back (`WasiHost`), and what trace mode reports for each host call (`HostCall`). Hosts of
 * plugin kinds that do file I/O (format readers, UDFs with scratch state) build one `WasiHost` per
 * instance, tailored to the module's import list.
 */

/** One host call as trace mode reports it. */
export interface HostCall {
  module: string;
  name: string;
  args: (number | bigint)[];
  result: number | bigint | undefined;
  durationMs: number;
  /** decoded detail, e.g. the path of path_open, bytes read */
  detail?: string;
  /** The arguments as strace shows them (`fd=3, "object.jsonl", oflags=0`), when the host knows their names. */
  text?: string;
  /** Set when the call threw instead of returning (a trap in a host function, proc_exit). */
  error?: string;
}

export interface WasiOptions {
  /** The module's imports as `module.name` (manifest.imports). Only the wasi_snapshot_preview1 functions listed here are provided. */
  readonly imports: readonly string[];
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Files mounted read-only under /data (guest paths, e.g. '/data/object.jsonl'). Bytes are not copied. */
  readonly readOnly?: Readonly<Record<string, Uint8Array>>;
  /** Initial content of the writable /scratch folder (e.g. a restored snapshot): guest path → bytes. */
  readonly scratch?: ReadonlyMap<string, Uint8Array>;
  /** Largest total size of /scratch, bytes (writes past it fail with ENOSPC). */
  readonly scratchLimitBytes?: number;
  /** Called for every host call (WASI and, through traceImports, any other import). */
  readonly trace?: (call: HostCall) => void;
}

export interface WasiHost {
  /** The `wasi_snapshot_preview1` import namespace: only the functions the module imports. */
  readonly imports: WebAssembly.ModuleImports;
  /** Must be called with the module's (imported) memory before any call runs. */
  bindMemory(memory: WebAssembly.Memory): void;
  /** Exit code once the guest called proc_exit (calls after it throw WasiExit). */
  readonly exitCode: number | undefined;
  /** The /scratch folder's files now (guest path → bytes). */
  scratchFiles(): Map<string, Uint8Array>;
  /** What it wrote to fd 1 and fd 2 (kept, capped, for error messages and trace). */
  stdout(): string;
  stderr(): string;
}

/**
 * Thrown out of the guest's call stack by `proc_exit` (a wasm function cannot return past its
 * callers otherwise). Hosts catch it around export calls and read `code`.
 */
export class WasiExit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`the module called proc_exit(${code})`);
    this.name = 'WasiExit';
    this.code = code;
  }
}

/** The import module name of WASI preview 1. */
export const WASI_MODULE = 'wasi_snapshot_preview1';

/** Default bound of /scratch when the options give none: 16 MiB. */
export const DEFAULT_SCRATCH_LIMIT_BYTES = 16 * 1024 * 1024;
