/**
 * Running a format-reader plugin over one object: the schema it reads (declared or inferred), then
 * its rows batch by batch as plain column buffers (UdfColumn: the plugins package depends on
 * neither the engine nor apache-arrow; the engine's plugin reader turns them into Arrow).
 *
 * @example
 * const jsonl = findLibraryPlugin('jsonl')!;
 * const bytes = readFileSync('events.jsonl');
 * const fields = readFormatSchema(jsonl, bytes, { objectName: 'events.jsonl' });
 * for (const batch of runFormatReader(jsonl, bytes, { objectName: 'events.jsonl' })) {
 *   console.log(batch.rows, batch.columns[0]);
 * }
 */
import { InvalidArgumentError, PluginError } from '@pushdown/proto';
import { PLUGIN_DATA_TYPES, type PluginDataType } from '../manifest-types.js';
import type { UdfColumn } from '../udf-host.js';
import type { HostCall } from '../wasi/wasi-types.js';
import { formatReaderModule, type FormatReaderPlugin } from './format-reader-module.js';
import { FormatReaderSession } from './format-reader-session.js';

export interface FormatField {
  name: string;
  type: PluginDataType;
  nullable: boolean;
}

export interface FormatReaderOptions {
  /** Names the object in errors and its guest path (`/data/<base name>`). */
  objectName: string;
  /** The declared schema; absent: the plugin infers it. */
  schema?: readonly FormatField[];
  /** Rows per batch, at most (default 65 536). */
  batchRows?: number;
  /** Bytes per fd_read the plugin asks for (PUSHDOWN_CHUNK_BYTES); tests make it small. */
  chunkBytes?: number;
  /** Rows schema inference samples (PUSHDOWN_SAMPLE_ROWS). */
  sampleRows?: number;
  /** Called for every WASI call the module makes (`pushdown plugins trace`). */
  trace?: (call: HostCall) => void;
}

export interface FormatBatch {
  schema: FormatField[];
  rows: number;
  /** One per schema field, in order; validity is absent when the column has no nulls. */
  columns: UdfColumn[];
  nullCounts: number[];
}

export const FORMAT_READER_DEFAULT_BATCH_ROWS = 65_536;

/** The object's schema as the plugin reads it (runs open() and schema(), then close()). */
export function readFormatSchema(
  plugin: FormatReaderPlugin,
  object: Uint8Array,
  options: FormatReaderOptions,
): FormatField[] {
  const session = startSession(plugin, object, options);
  const schema = parseSchema(plugin.manifest.name, session.open());
  session.close();
  return schema;
}

/** Every batch of the object, lazily: the plugin runs while the caller iterates. */
export function* runFormatReader(
  plugin: FormatReaderPlugin,
  object: Uint8Array,
  options: FormatReaderOptions,
): Generator<FormatBatch> {
  const batchRows = options.batchRows ?? FORMAT_READER_DEFAULT_BATCH_ROWS;
  if (!Number.isInteger(batchRows) || batchRows < 1 || batchRows > 1 << 22) {
    throw new InvalidArgumentError(`batchRows must be an integer from 1 to 4194304 (got ${batchRows})`);
  }
  const session = startSession(plugin, object, options);
  const schema = parseSchema(plugin.manifest.name, session.open());
  let closed = false;
  try {
    for (;;) {
      const batch = session.next(batchRows, schema.length);
      if (!batch) break;
      yield { schema, ...batch };
    }
    closed = true;
    session.close();
  } finally {
    if (!closed) {
      try {
        session.close(); // the caller stopped early or a batch failed: release the fd anyway
      } catch {
        // the first error is the one to report
      }
    }
  }
}

function startSession(
  plugin: FormatReaderPlugin,
  object: Uint8Array,
  options: FormatReaderOptions,
): FormatReaderSession {
  const module = formatReaderModule(plugin);
  const schemaJson = options.schema ? JSON.stringify(checkDeclared(options.schema)) : undefined;
  return new FormatReaderSession(module, plugin.manifest, object, {
    objectName: options.objectName,
    ...(schemaJson !== undefined ? { schemaJson } : {}),
    ...(options.chunkBytes !== undefined ? { chunkBytes: options.chunkBytes } : {}),
    ...(options.sampleRows !== undefined ? { sampleRows: options.sampleRows } : {}),
    ...(options.trace ? { trace: options.trace } : {}),
  });
}

/** The declared schema, checked here so the plugin only ever sees a well-formed one. */
function checkDeclared(fields: readonly FormatField[]): FormatField[] {
  const seen = new Set<string>();
  return fields.map((f, i) => {
    if (typeof f.name !== 'string' || f.name === '' || seen.has(f.name)) {
      throw new InvalidArgumentError(`declared schema field ${i} needs a unique, non-empty name`);
    }
    if (!PLUGIN_DATA_TYPES.includes(f.type)) {
      throw new InvalidArgumentError(
        `declared schema field "${f.name}" has type ${String(f.type)}; use ${PLUGIN_DATA_TYPES.join(', ')}`,
      );
    }
    seen.add(f.name);
    return { name: f.name, type: f.type, nullable: f.nullable !== false };
  });
}

/** The plugin's schema() text as fields; a malformed answer is the plugin's fault. */
function parseSchema(plugin: string, text: string): FormatField[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PluginError(
      `format reader "${plugin}" returned a schema that is not JSON: ${text.slice(0, 200)}`,
      {
        cause: err,
      },
    );
  }
  const ok =
    Array.isArray(json) &&
    json.every(
      (f: unknown) =>
        typeof f === 'object' &&
        f !== null &&
        typeof (f as FormatField).name === 'string' &&
        PLUGIN_DATA_TYPES.includes((f as FormatField).type) &&
        typeof (f as FormatField).nullable === 'boolean',
    );
  if (!ok)
    throw new PluginError(`format reader "${plugin}" returned a malformed schema: ${text.slice(0, 200)}`);
  return json as FormatField[];
}
