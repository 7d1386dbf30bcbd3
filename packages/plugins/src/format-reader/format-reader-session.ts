/**
 * One running format reader: its capped memory, its WASI host (the object mounted read-only at
 * /data/<name>, the environment of the ABI), the instance, and the ABI calls wrapped so every
 * failure becomes the right error: bad data → CorruptDataError naming the object and line, bad
 * arguments → InvalidArgumentError, a trap at the memory cap → ResourceExhaustedError, anything
 * else (trap, proc_exit, failed WASI call) → PluginError with the plugin's name.
 *
 * When the manifest asks for persistence, /scratch starts from the plugin's snapshot and is saved
 * by close() (rules in wasi/scratch-persistence.ts: not after a trap, last close wins).
 */
import {
  CorruptDataError,
  InvalidArgumentError,
  PluginError,
  ResourceExhaustedError,
  type PushdownError,
} from '@pushdown/proto';
import type { PluginManifest } from '../manifest-types.js';
import type { UdfColumn } from '../udf-host.js';
import { pluginStateDir } from '../plugin-state-dir.js';
import { scratchPersistence, type ScratchPersistence } from '../wasi/scratch-persistence.js';
import { createWasiHost } from '../wasi/wasi-host.js';
import { WasiExit, type HostCall, type WasiHost } from '../wasi/wasi-types.js';
import { FORMAT_READER_ABI_VERSION, FORMAT_READER_ENV, FORMAT_READER_STATUS } from './format-reader-abi.js';
import { readLengthPrefixed } from './format-reader-abi.js';
import { copyColumn } from './format-reader-columns.js';

const PAGE = 65536;

export interface SessionOptions {
  readonly objectName: string;
  /** Declared schema as JSON (PUSHDOWN_SCHEMA), when given. */
  readonly schemaJson?: string;
  readonly chunkBytes?: number;
  readonly sampleRows?: number;
  readonly trace?: (call: HostCall) => void;
}

type Exports = {
  open(): number;
  schema(): number;
  next_batch(maxRows: number): number;
  batch_column(i: number): number;
  error_message(): number;
  error_line(): bigint;
  close(): number;
};

/** Guest path of the object: its base name, reduced to characters every WASI guest accepts. */
export function guestObjectPath(objectName: string): string {
  const base = objectName.split(/[\\/]/).pop() ?? '';
  const safe = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return `/data/${safe || 'object'}`;
}

export class FormatReaderSession {
  private readonly memory: WebAssembly.Memory;
  private readonly wasi: WasiHost;
  private readonly calls: Exports;
  private readonly persist: ScratchPersistence;
  private closed = false;

  constructor(
    module: WebAssembly.Module,
    private readonly manifest: PluginManifest,
    object: Uint8Array,
    private readonly options: SessionOptions,
  ) {
    const path = guestObjectPath(options.objectName);
    const env: Record<string, string> = { [FORMAT_READER_ENV.object]: path };
    if (options.schemaJson !== undefined) env[FORMAT_READER_ENV.schema] = options.schemaJson;
    if (options.chunkBytes !== undefined) env[FORMAT_READER_ENV.chunkBytes] = String(options.chunkBytes);
    if (options.sampleRows !== undefined) env[FORMAT_READER_ENV.sampleRows] = String(options.sampleRows);
    // Loaded before the module exists: a damaged snapshot stops us before any plugin code runs.
    this.persist = scratchPersistence(manifest, pluginStateDir());
    this.wasi = createWasiHost({
      imports: manifest.imports,
      args: [manifest.name],
      env,
      readOnly: { [path]: object },
      ...this.persist.scratchOption(),
      ...(options.trace ? { trace: options.trace } : {}),
    });
    const maximum = manifest.limits.memoryPages;
    this.memory = new WebAssembly.Memory({ initial: Math.min(2, maximum), maximum });
    const instance = this.guard(
      () =>
        new WebAssembly.Instance(module, {
          env: { memory: this.memory },
          wasi_snapshot_preview1: this.wasi.imports,
        }),
    );
    this.wasi.bindMemory(this.memory);
    const abi = instance.exports.ABI_VERSION;
    if (!(abi instanceof WebAssembly.Global) || abi.value !== FORMAT_READER_ABI_VERSION) {
      throw new PluginError(
        `format reader "${manifest.name}" speaks ABI ${abi instanceof WebAssembly.Global ? String(abi.value) : 'unknown'}, ` +
          `this host speaks ${FORMAT_READER_ABI_VERSION}`,
      );
    }
    this.calls = instance.exports as unknown as Exports;
  }

  /** open() then schema(): the schema JSON text the module reports. */
  open(): string {
    this.check(this.guard(() => this.calls.open()));
    return readLengthPrefixed(
      this.memory,
      this.guard(() => this.calls.schema()),
    );
  }

  /** The next batch's columns (copied out of plugin memory), or null at the end. */
  next(
    maxRows: number,
    columns: number,
  ): { rows: number; columns: UdfColumn[]; nullCounts: number[] } | null {
    const rows = this.check(this.guard(() => this.calls.next_batch(maxRows)));
    if (rows === 0) return null;
    const out: UdfColumn[] = [];
    const nullCounts: number[] = [];
    for (let i = 0; i < columns; i++) {
      const ptr = this.guard(() => this.calls.batch_column(i));
      if (ptr === 0) throw new PluginError(`format reader "${this.manifest.name}" has no column ${i}`);
      const { column, nullCount } = copyColumn(this.memory, ptr, rows, this.manifest.name);
      out.push(column);
      nullCounts.push(nullCount);
    }
    return { rows, columns: out, nullCounts };
  }

  /**
   * Calls the module's close(), then saves /scratch when persistence is on. Runs once; the
   * module's own failure is reported before a failure to save.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    let failure: Error | undefined;
    try {
      this.check(this.guard(() => this.calls.close()));
    } catch (err) {
      failure = err as Error;
    }
    try {
      this.persist.save(this.wasi.scratchFiles());
    } catch (err) {
      failure ??= err as Error;
    }
    if (failure) throw failure;
  }

  /** Throws the error a negative status stands for; returns non-negative results. */
  private check(status: number): number {
    if (status >= 0) return status;
    const why = readLengthPrefixed(
      this.memory,
      this.guard(() => this.calls.error_message()),
    );
    const line = Number(this.guard(() => this.calls.error_line()));
    const { objectName } = this.options;
    const plugin = this.manifest.name;
    switch (status) {
      case FORMAT_READER_STATUS.data:
        throw new CorruptDataError(
          `${objectName}${line > 0 ? ` line ${line}` : ''}: ${why} (read by format reader "${plugin}")`,
          { hint: 'fix that line of the object, or declare a schema that fits it' },
        );
      case FORMAT_READER_STATUS.argument:
        throw new InvalidArgumentError(`format reader "${plugin}" on ${objectName}: ${why}`);
      default:
        throw new PluginError(`format reader "${plugin}" failed on ${objectName} (status ${status}): ${why}`);
    }
  }

  /** Runs a call of the module, turning traps and proc_exit into domain errors. */
  private guard<T>(call: () => T): T {
    try {
      return call();
    } catch (err) {
      this.persist.noteFailure(err); // a trap mid-call: its scratch folder is not saved
      throw this.translate(err);
    }
  }

  private translate(err: unknown): unknown {
    const plugin = this.manifest.name;
    const where = `reading ${this.options.objectName}`;
    if (err instanceof WasiExit) {
      const stderr = this.wasi.stderr().trim();
      return new PluginError(
        `format reader "${plugin}" exited with code ${err.code} ${where}${stderr ? `: ${stderr}` : ''}`,
      );
    }
    if (!(err instanceof WebAssembly.RuntimeError)) return err;
    const pages = this.memory.buffer.byteLength / PAGE;
    const cap = this.manifest.limits.memoryPages;
    // The stub allocator traps (unreachable) when memory.grow fails; at the cap that is the reason.
    const e: PushdownError =
      pages >= cap - 1
        ? new ResourceExhaustedError(
            `format reader "${plugin}" ran out of memory ${where}: it reached its cap of ${cap} pages ` +
              `(limits.memoryPages)`,
            { cause: err, hint: 'a line may be enormous; split the object or raise the cap' },
          )
        : new PluginError(`format reader "${plugin}" trapped ${where}: ${err.message}`, { cause: err });
    return e;
  }
}
