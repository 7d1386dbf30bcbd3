/**
 * A small self-contained loader for the CSV parser module (operators/csv): compiled once per
 * process, instantiated once per scan against a host-created memory whose `maximum` is the
 * manifest's page limit. The module must import exactly what its manifest declares (only
 * `env.memory`) and define no memory of its own.
 *
 * The host owns the memory layout: `CsvWasmInstance.layout()` places the input chunk, the column
 * spec table, the float fix-up list and the per-column output buffers after the module's static
 * data, growing the memory as needed.
 */
import type { OperatorManifest } from '@pushdown/plugins';
import { adoptOperatorModule, loadOperatorModule } from '../wasm/module-loader.js';
import { ResourceExhaustedError } from '@pushdown/proto';

const PAGE = 65_536;

export interface CsvWasmExports {
  heapBase(): number;
  configure(spec: number, ncols: number, delim: number, fix: number, fixCap: number): void;
  setPos(pos: number): void;
  getPos(): number;
  setLine(line: number): void;
  getLine(): number;
  getRows(): number;
  getFixups(): number;
  clearFixups(): void;
  errLine(): number;
  errCol(): number;
  errStart(): number;
  errEnd(): number;
  errFound(): number;
  beginBatch(): void;
  nullCount(col: number): number;
  parse(end: number, final: number, rowCap: number): number;
}

/** parse() results; negative values are errors. */
export const ParseStatus = {
  NEED_INPUT: 0,
  DONE: 1,
  FULL: 2,
  DATA_FULL: 3,
  FIX_FULL: 4,
  ERR_FIELD_COUNT: -1,
  ERR_UNTERMINATED: -2,
  ERR_BAD_VALUE: -3,
  ERR_AFTER_QUOTE: -4,
} as const;

/** Column type codes of the spec table (see operators/csv/assembly/index.ts). */
export const CsvTypeCode = {
  skip: 0,
  bool: 1,
  int32: 2,
  int64: 3,
  float64: 4,
  date32: 5,
  utf8: 6,
  infer: 7,
} as const;

/** The compiled parser, for a worker thread to receive instead of compiling its own. */
export function compiledCsvModule(): WebAssembly.Module {
  return loadOperatorModule('csv').module;
}

/** Use `module` (admitted and compiled on another thread, sent by postMessage). */
export function adoptCsvModule(module: WebAssembly.Module): void {
  adoptOperatorModule('csv', module);
}

/** The parser module and its manifest, admitted once per thread by the operator host's loader. */
function compileOnce(): { module: WebAssembly.Module; manifest: OperatorManifest } {
  return loadOperatorModule('csv');
}

export interface CsvRegion {
  readonly ptr: number;
  readonly bytes: number;
}

const idle: CsvWasmInstance[] = [];
const MAX_IDLE = 4;

/** One parser instance with its own memory; not shared between concurrent scans. */
export class CsvWasmInstance {
  /** An idle instance (a scan unit is short: instantiating per unit would show), or a new one. */
  static acquire(): CsvWasmInstance {
    const reused = idle.pop();
    if (!reused) return new CsvWasmInstance();
    // The parser expects the zeroed memory of a fresh instance (bitmaps, offsets): give it that.
    new Uint8Array(reused.memory.buffer, reused.base, Math.max(0, reused.highWater - reused.base)).fill(0);
    return reused;
  }

  /** Give it back after a scan; its memory stays as grown, up to MAX_IDLE instances are kept. */
  releaseToPool(): void {
    if (idle.length < MAX_IDLE && !idle.includes(this)) idle.push(this);
  }

  readonly exports: CsvWasmExports;
  readonly memory: WebAssembly.Memory;
  readonly maxBytes: number;
  private readonly base: number;
  private top: number;
  /** End of the highest region ever handed out: what a reuse must zero. */
  private highWater = 0;

  constructor() {
    const { module, manifest } = compileOnce();
    this.memory = new WebAssembly.Memory({ initial: 1, maximum: manifest.limits.memoryPages });
    this.maxBytes = manifest.limits.memoryPages * PAGE;
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.exports = instance.exports as unknown as CsvWasmExports;
    this.base = align(this.exports.heapBase(), 64);
    this.top = this.base;
  }

  /** Forgets every region (their bytes stay until overwritten). */
  resetLayout(): void {
    this.top = this.base;
  }

  /** A region of `bytes` at 64-byte alignment (Arrow likes 8; SIMD loads like 16). */
  alloc(bytes: number): CsvRegion {
    const ptr = align(this.top, 64);
    const end = ptr + bytes;
    if (end > this.maxBytes) {
      throw new ResourceExhaustedError(
        `CSV parser needs ${Math.ceil(end / 2 ** 20)} MiB of operator memory, over its cap of ${this.maxBytes / 2 ** 20} MiB`,
        { hint: 'a single record or a batch of string values is too large; lower batchRows' },
      );
    }
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.top = end;
    if (end > this.highWater) this.highWater = end;
    return { ptr, bytes };
  }

  /** Current bytes view (re-read after every alloc: growing detaches the old buffer). */
  u8(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
