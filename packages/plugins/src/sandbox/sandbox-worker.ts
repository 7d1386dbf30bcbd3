/**
 * A sandbox worker thread: instantiates each plugin it is sent (with a host-created memory capped
 * at the manifest's `limits.memoryPages`, through `instantiateUdf`) and runs one call at a time.
 * It never enforces time itself: the pool terminates a worker that overruns its budget. Traps are
 * classified here, where the plugin's memory can still be inspected.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PluginError, PushdownError, ResourceExhaustedError, serializeError } from '@pushdown/proto';
import { instantiateUdf, type UdfInstance, type UdfResult } from '../udf-host.js';
import type {
  FromSandboxWorker,
  SandboxPluginData,
  SandboxWorkerInit,
  ToSandboxWorker,
} from './sandbox-protocol.js';

const PAGE = 65536;
const port = parentPort!;
const plugins = new Map<string, SandboxPluginData>();
const instances = new Map<string, UdfInstance>();

const send = (m: FromSandboxWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

function instance(name: string): UdfInstance {
  let udf = instances.get(name);
  if (!udf) {
    const plugin = plugins.get(name);
    if (!plugin) throw new PluginError(`plugin "${name}" is not loaded in this sandbox`);
    udf = instantiateUdf(plugin.module, plugin.manifest);
    instances.set(name, udf);
  }
  return udf;
}

/**
 * A trap becomes a PluginError naming the plugin and the trap; a trap taken with the memory at its
 * cap (memory.grow failed, then the module gave up) is reported as the memory bomb it is.
 */
function classify(err: unknown, udf: UdfInstance, fn: string): unknown {
  if (err instanceof PushdownError) return err;
  const name = udf.manifest.name;
  const message = err instanceof Error ? err.message : String(err);
  const cap = udf.manifest.limits.memoryPages;
  if (udf.memory.buffer.byteLength / PAGE >= cap) {
    return new ResourceExhaustedError(
      `plugin "${name}" function "${fn}" exhausted its memory cap of ${cap} pages ` +
        `(limits.memoryPages) and trapped: ${message}`,
    );
  }
  return new PluginError(`plugin "${name}" function "${fn}" trapped: ${message}`);
}

function load(plugin: SandboxPluginData): void {
  plugins.set(plugin.manifest.name, plugin);
  instances.delete(plugin.manifest.name);
  instance(plugin.manifest.name); // fail at load, not at the first call
}

function buffersOf(result: UdfResult): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of [result.values, result.validity]) {
    if (v.buffer instanceof ArrayBuffer) out.add(v.buffer);
  }
  return [...out];
}

port.on('message', (m: ToSandboxWorker) => {
  if (m.type === 'load') {
    try {
      load(m.plugin);
      send({ type: 'loaded', plugin: m.plugin.manifest.name });
    } catch (err) {
      send({ type: 'load-failed', plugin: m.plugin.manifest.name, error: serializeError(err) });
    }
    return;
  }
  let udf: UdfInstance | undefined;
  try {
    udf = instance(m.plugin);
    const result = udf.call(m.fn, m.columns, m.rows);
    send({ type: 'result', id: m.id, result }, buffersOf(result));
  } catch (err) {
    // After a trap the instance's memory may be half-written: start the next call afresh.
    instances.delete(m.plugin);
    send({ type: 'error', id: m.id, error: serializeError(udf ? classify(err, udf, m.fn) : err) });
  }
});

try {
  for (const p of (workerData as SandboxWorkerInit).plugins) load(p);
  send({ type: 'ready' });
} catch (err) {
  send({ type: 'ready-failed', error: serializeError(err) });
}
