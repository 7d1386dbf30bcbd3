/**
 * ObjectReader for formats read by a format-reader plugin (packages/plugins, format-reader ABI):
 * `jsonl` by the `jsonl` plugin. The plugin reads the object through WASI and fills plain column
 * buffers; this reader turns them into Arrow record batches of the asked columns. The plugin
 * reads every column of each line (a JSON line has to be parsed whole anyway) and the reader
 * keeps the asked ones. There are no statistics: `filter` never prunes and numRows() is null.
 * The object's bytes are loaded once per reader (the WASI host mounts them without copying).
 * A scan is one unit (no statistics or record boundaries to split at): in a scan worker, where
 * every call into the plugin runs under the watchdog's deadline (limits.timeBudgetMs).
 */
import { basename } from 'node:path';
import {
  Bool,
  DateDay,
  Float64,
  Int32,
  Int64,
  makeData,
  Utf8,
  type Data,
  type RecordBatch,
} from 'apache-arrow';
import {
  findLibraryPlugin,
  readFormatSchema,
  runFormatReader,
  type FormatField,
  type UdfColumn,
} from '@pushdown/plugins';
import { CancelledError, PluginError } from '@pushdown/proto';
import { PLUGIN_FORMAT_READERS, type ObjectFormat } from '../plan/fragment.js';
import { deadlineLabel, withDeadline } from '../parallel/watchdog-guard.js';
import type { Schema } from '../plan/types.js';
import { arrowSchemaOf, batchOf } from './arrow-schema.js';
import { filePathOf } from './file-blob.js';
import type { ObjectReader, ScanCounters, ScanOptions } from './object-reader.js';
import { resolveBatchRows, resolveColumns } from './scan-options.js';

/** Object formats read by plugins, with the plugin that reads each. */
export const PLUGIN_FORMATS: Readonly<Record<string, string>> = PLUGIN_FORMAT_READERS;

/** The plugin formats this process can read now (their plugin is in the plugin library). */
export function loadablePluginFormats(): ObjectFormat[] {
  return Object.entries(PLUGIN_FORMATS)
    .filter(([, plugin]) => findLibraryPlugin(plugin)?.manifest.kind === 'format-reader')
    .map(([format]) => format as ObjectFormat);
}

export class PluginObjectReader implements ObjectReader {
  private bytes: Promise<Uint8Array> | null = null;
  private fields: Promise<Schema> | null = null;
  private readonly objectName: string;

  constructor(
    private readonly blob: Blob,
    readonly format: ObjectFormat,
    private readonly declared: Schema | null = null,
    objectName?: string,
  ) {
    const path = filePathOf(blob);
    this.objectName = objectName ?? (path ? basename(path) : `a ${format} object`);
  }

  private plugin() {
    const name = PLUGIN_FORMATS[this.format];
    const plugin = name ? findLibraryPlugin(name) : undefined;
    if (!plugin || plugin.manifest.kind !== 'format-reader') {
      throw new PluginError(`${this.format} objects need the "${name ?? this.format}" format-reader plugin`, {
        hint: 'build it (npm run build:wasm) or install it with `pushdown plugins add`',
      });
    }
    return plugin;
  }

  private load(): Promise<Uint8Array> {
    this.bytes ??= this.blob.arrayBuffer().then((b) => new Uint8Array(b));
    return this.bytes;
  }

  async schema(): Promise<Schema> {
    this.fields ??= this.declared
      ? Promise.resolve(this.declared)
      : this.load().then((bytes) =>
          this.guarded(() => readFormatSchema(this.plugin(), bytes, { objectName: this.objectName })),
        );
    return this.fields;
  }

  /** Runs one stretch of plugin work under the plugin's time budget (enforced in scan workers). */
  private guarded<T>(fn: () => T): T {
    const { manifest } = this.plugin();
    const label = deadlineLabel(
      `format reader "${manifest.name}" reading ${this.objectName}`,
      'raise limits.timeBudgetMs in its manifest, or split the object',
    );
    return withDeadline(label, manifest.limits.timeBudgetMs, fn);
  }

  async numRows(): Promise<number | null> {
    return null;
  }

  async *scan(options: ScanOptions, counters: ScanCounters): AsyncGenerator<RecordBatch> {
    const fields = await this.schema();
    const outputs = resolveColumns(fields, options.columns, `${this.format} object`);
    const arrowSchema = arrowSchemaOf(outputs.map((i) => fields[i]!));
    const bytes = await this.load();
    counters.bytesScanned += bytes.byteLength;
    const batches = runFormatReader(this.plugin(), bytes, {
      objectName: this.objectName,
      // The schema the catalog knows (declared or inferred at put), so every scan agrees with it.
      schema: fields as FormatField[],
      batchRows: resolveBatchRows(options.batchRows),
    });
    for (;;) {
      if (options.signal?.aborted) throw new CancelledError(`scan of ${this.objectName} cancelled`);
      const started = performance.now();
      const next = this.guarded(() => batches.next());
      counters.decodeMs += performance.now() - started;
      if (next.done) return;
      const { rows, columns, nullCounts } = next.value;
      counters.rowsScanned += rows;
      const data = outputs.map((i) => {
        const { data, bytes: copied } = arrowData(columns[i]!, rows, nullCounts[i]!);
        counters.bytesCopied += copied;
        return data;
      });
      yield batchOf(arrowSchema, rows, data);
    }
  }
}

/** One plugin column as Arrow Data; its buffers are adopted, not copied again. */
function arrowData(col: UdfColumn, length: number, nullCount: number): { data: Data; bytes: number } {
  const base = { length, nullCount, ...(col.validity ? { nullBitmap: col.validity } : {}) };
  const bitmap = col.validity?.byteLength ?? 0;
  if (col.type === 'utf8') {
    const data = makeData({ type: new Utf8(), ...base, valueOffsets: col.offsets, data: col.data });
    return { data, bytes: bitmap + col.offsets.byteLength + col.data.byteLength };
  }
  const bytes = bitmap + col.values.byteLength;
  switch (col.type) {
    case 'bool':
      return { data: makeData({ type: new Bool(), ...base, data: col.values as Uint8Array }), bytes };
    case 'int32':
      return { data: makeData({ type: new Int32(), ...base, data: col.values as Int32Array }), bytes };
    case 'date32':
      return { data: makeData({ type: new DateDay(), ...base, data: col.values as Int32Array }), bytes };
    case 'int64':
      return { data: makeData({ type: new Int64(), ...base, data: col.values as BigInt64Array }), bytes };
    case 'float64':
      return { data: makeData({ type: new Float64(), ...base, data: col.values as Float64Array }), bytes };
  }
}
