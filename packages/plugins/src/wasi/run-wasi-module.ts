/**
 * Runs one export of a plugin module under a WASI host, start to finish: the generic path of
 * `pushdown plugins trace` for modules that are neither format readers nor UDFs (a `_start`
 * program, a test module). The memory is host-created with the manifest's cap, as for every
 * plugin; `env` functions other than the memory are not provided, so such a module fails to link.
 *
 * A manifest with `persist.scratch` gets its saved /scratch back and has it saved when the export
 * returns or the module calls proc_exit, not when it traps (scratch-persistence.ts), as long as
 * a plugin state folder is configured and the caller did not pass `scratch` itself.
 *
 * @example
 * const { exitCode, stdout } = runWasiModule(plugin, { invoke: '_start', trace: (c) => calls.push(c) });
 */
import { InvalidArgumentError } from '@pushdown/proto';
import type { PluginManifest } from '../manifest-types.js';
import { pluginStateDir } from '../plugin-state-dir.js';
import { scratchPersistence } from './scratch-persistence.js';
import { createWasiHost } from './wasi-host.js';
import { traceImports } from './wasi-trace.js';
import { WASI_MODULE, WasiExit, type HostCall } from './wasi-types.js';

export interface RunWasiModuleOptions {
  /** The export to call, with no arguments (default `_start`). */
  invoke?: string;
  args?: readonly string[];
  env?: Readonly<Record<string, string>>;
  readOnly?: Readonly<Record<string, Uint8Array>>;
  /** Initial /scratch; given, the caller owns the folder and persistence is skipped. */
  scratch?: ReadonlyMap<string, Uint8Array>;
  trace?: (call: HostCall) => void;
}

export interface RunWasiModuleResult {
  /** The export's return value (undefined after proc_exit or for a void export). */
  result: unknown;
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  scratch: Map<string, Uint8Array>;
}

export function runWasiModule(
  plugin: { manifest: PluginManifest; module: WebAssembly.Module },
  options: RunWasiModuleOptions = {},
): RunWasiModuleResult {
  const { manifest } = plugin;
  const persist = scratchPersistence(manifest, options.scratch ? undefined : pluginStateDir());
  const host = createWasiHost({
    imports: manifest.imports,
    args: options.args ?? [manifest.name],
    ...(options.env ? { env: options.env } : {}),
    ...(options.readOnly ? { readOnly: options.readOnly } : {}),
    ...(options.scratch ? { scratch: options.scratch } : persist.scratchOption()),
    ...(options.trace ? { trace: options.trace } : {}),
  });
  const memory = new WebAssembly.Memory({ initial: 1, maximum: manifest.limits.memoryPages });
  // WASI reports its own calls (with decoded paths); other namespaces go through traceImports.
  const env: WebAssembly.Imports = { env: { memory } };
  const imports = {
    ...(options.trace ? traceImports(env, options.trace) : env),
    [WASI_MODULE]: host.imports,
  };
  const instance = new WebAssembly.Instance(plugin.module, imports);
  host.bindMemory(memory);
  const name = options.invoke ?? '_start';
  const entry = instance.exports[name];
  if (typeof entry !== 'function') {
    throw new InvalidArgumentError(`plugin "${manifest.name}" exports no function "${name}"`);
  }
  let result: unknown;
  try {
    result = (entry as () => unknown)();
  } catch (err) {
    persist.noteFailure(err);
    if (!(err instanceof WasiExit)) throw err;
  }
  persist.save(host.scratchFiles());
  return {
    result,
    exitCode: host.exitCode,
    stdout: host.stdout(),
    stderr: host.stderr(),
    scratch: host.scratchFiles(),
  };
}
