/**
 * `createWasiHost`: the WASI preview-1 import namespace of one module instance, served from an
 * in-memory filesystem and tailored to the module: only the functions its import list names are
 * in the namespace, so a module that does not import fd_write has no way to write.
 *
 * @example
 * const host = createWasiHost({
 *   imports: manifest.imports,
 *   readOnly: { '/data/object.jsonl': bytes },
 * });
 * const instance = new WebAssembly.Instance(module, {
 *   env: { memory },
 *   wasi_snapshot_preview1: host.imports,
 * });
 * host.bindMemory(memory);
 * // guest: path_open(3, 0, "object.jsonl", ...) → fd 5; fd_read(5, ...)
 */
import { InvalidArgumentError, PluginError } from '@pushdown/proto';
import { ERRNO } from './wasi-abi.js';
import { envCalls } from './wasi-calls-env.js';
import { fdCalls, type WasiFn } from './wasi-calls-fd.js';
import { pathCalls } from './wasi-calls-path.js';
import { statCalls } from './wasi-calls-stat.js';
import { MemFs } from './wasi-fs.js';
import { GuestFault } from './wasi-memory.js';
import { describeWasiArgs, unsupportedWasiImports } from './wasi-signatures.js';
import { WasiState } from './wasi-state.js';
import {
  DEFAULT_SCRATCH_LIMIT_BYTES,
  WASI_MODULE,
  WasiExit,
  type HostCall,
  type WasiHost,
  type WasiOptions,
} from './wasi-types.js';

export function createWasiHost(options: WasiOptions): WasiHost {
  const missing = unsupportedWasiImports(options.imports);
  if (missing.length > 0) {
    throw new PluginError(
      `the module imports WASI ${missing.map((m) => `${WASI_MODULE}.${m}`).join(', ')}, which this host does not provide`,
    );
  }
  const limit = options.scratchLimitBytes ?? DEFAULT_SCRATCH_LIMIT_BYTES;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new InvalidArgumentError(`scratchLimitBytes must be a non-negative integer (got ${limit})`);
  }
  const fs = new MemFs(options.readOnly ?? {}, options.scratch ?? new Map(), limit);
  const env = Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`);
  const state = new WasiState(fs, options.args ?? [], env);
  const all: Record<string, WasiFn> = {
    ...fdCalls(state),
    ...statCalls(state),
    ...pathCalls(state),
    ...envCalls(state),
  };
  const imports: WebAssembly.ModuleImports = {};
  const prefix = `${WASI_MODULE}.`;
  for (const entry of options.imports) {
    if (!entry.startsWith(prefix)) continue;
    const name = entry.slice(prefix.length);
    const impl = all[name];
    if (impl) imports[name] = wrap(state, name, impl, options.trace);
  }
  return {
    imports,
    bindMemory: (memory) => state.memory.bind(memory),
    get exitCode() {
      return state.exitCode;
    },
    scratchFiles: () => fs.scratchFiles(),
    stdout: () => state.out.text(),
    stderr: () => state.err.text(),
  };
}

/**
 * The function the guest actually calls: normalises arguments (wasm passes i32 as signed JS
 * numbers; every WASI i32 is unsigned, and u64s are read unsigned), answers bad pointers with
 * FAULT, refuses every call after proc_exit, and reports the call to `trace` when asked.
 */
function wrap(s: WasiState, name: string, impl: WasiFn, trace: WasiOptions['trace']): WasiFn {
  const run = (args: (number | bigint)[]): number => {
    if (s.exitCode !== undefined) throw new WasiExit(s.exitCode);
    try {
      return impl(...args);
    } catch (err) {
      if (err instanceof GuestFault) {
        s.detail = err.message;
        return ERRNO.FAULT;
      }
      throw err;
    }
  };
  const normalise = (raw: (number | bigint)[]): (number | bigint)[] =>
    raw.map((a) => (typeof a === 'bigint' ? BigInt.asUintN(64, a) : a >>> 0));
  if (!trace) return (...raw) => run(normalise(raw));
  return (...raw) => {
    const args = normalise(raw);
    // Paths are decoded before the call: a call may reuse the memory it was given.
    const text = describeWasiArgs(name, args, (p, l) => s.memory.string(p, l));
    s.detail = undefined;
    const start = performance.now();
    let result: number | undefined;
    let error: unknown;
    try {
      result = run(args);
    } catch (err) {
      error = err;
    }
    const call: HostCall = {
      module: WASI_MODULE,
      name,
      args,
      result,
      durationMs: performance.now() - start,
      text,
    };
    if (s.detail !== undefined) call.detail = s.detail;
    if (error !== undefined) call.error = error instanceof Error ? error.message : String(error);
    trace(call);
    if (error !== undefined) throw error;
    return result!;
  };
}
