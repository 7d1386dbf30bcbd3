/**
 * CSV schema: the header plus column types, declared or inferred from a sample the way DuckDB's
 * sniffer does it. Each column starts with the candidates bool, int64, float64, date32; every
 * non-NULL sample value drops the candidates it does not parse as, and the first candidate left
 * wins (else utf8; a column of only NULLs is utf8). The WASM parser does the per-value checks.
 */
import { CorruptDataError } from '@pushdown/proto';
import type { DataType, Field, Schema } from '../plan/types.js';
import { parseCsvHeader, type CsvHeader } from './csv-header.js';
import { csvParseError } from './csv-errors.js';
import { resolveCsvOptions, type CsvReaderOptions, type ResolvedCsvOptions } from './csv-options.js';
import { CsvTypeCode, CsvWasmInstance, ParseStatus } from './csv-wasm.js';

export interface CsvLayoutInfo {
  readonly fields: Schema;
  readonly inferred: boolean;
  readonly header: CsvHeader;
  /** Line number of the first data record (the header may hold quoted newlines). */
  readonly firstLine: number;
}

const CANDIDATES: readonly [number, DataType][] = [
  [1, 'bool'],
  [2, 'int64'],
  [4, 'float64'],
  [8, 'date32'],
];

/**
 * Infers the schema of a CSV object from its header and a sample.
 *
 * @example
 * const schema = await inferCsvSchema(await fs.openAsBlob('lineitem.csv'));
 * // [{ name: 'l_orderkey', type: 'int64', nullable: true }, ...]
 */
export async function inferCsvSchema(blob: Blob, options: CsvReaderOptions = {}): Promise<Schema> {
  return (await describeCsv(blob, null, resolveCsvOptions(options))).fields;
}

/** Header, schema (the declared one checked against the header, else inferred), first line. */
export async function describeCsv(
  blob: Blob,
  declared: Schema | null,
  opts: ResolvedCsvOptions,
): Promise<CsvLayoutInfo> {
  const complete = blob.size <= opts.sampleBytes;
  const sample = new Uint8Array(await blob.slice(0, Math.min(blob.size, opts.sampleBytes)).arrayBuffer());
  const header = parseCsvHeader(sample, opts.delimiter, complete);
  let firstLine = 2;
  for (let i = 0; i < header.dataOffset; i++) if (sample[i] === 0x0a) firstLine++;
  if (sample[header.dataOffset - 1] === 0x0a) firstLine--;
  if (declared) {
    const names = declared.map((f) => f.name);
    if (names.length !== header.names.length || names.some((n, i) => n !== header.names[i])) {
      throw new CorruptDataError(
        `line 1: the CSV header (${header.names.join(', ')}) does not match the declared columns (${names.join(', ')})`,
      );
    }
    return { fields: declared, inferred: false, header, firstLine };
  }
  const types = sniffTypes(sample.subarray(header.dataOffset), header, complete, firstLine, opts);
  const fields = header.names.map((name, i): Field => ({ name, type: types[i]!, nullable: true }));
  return { fields, inferred: true, header, firstLine };
}

function sniffTypes(
  data: Uint8Array,
  header: CsvHeader,
  complete: boolean,
  firstLine: number,
  opts: ResolvedCsvOptions,
): DataType[] {
  const ncols = header.names.length;
  const w = new CsvWasmInstance();
  const e = w.exports;
  const input = w.alloc(data.length + 16).ptr;
  const spec = w.alloc(ncols * 32).ptr;
  const fix = w.alloc(16).ptr;
  w.u8().set(data, input);
  const specView = (): Int32Array => new Int32Array(w.memory.buffer, spec, ncols * 8);
  const ctx = {
    names: header.names,
    types: header.names.map(() => 'value'),
    inferred: true,
    inputPtr: input,
    inputObjectOffset: 0,
  };
  // Pass 1 skips every column to find where the last complete sampled record ends, so that a
  // record cut by the end of the sample cannot narrow the candidates.
  specView().fill(0);
  e.configure(spec, ncols, opts.delimiter, fix, 1);
  e.setLine(firstLine);
  e.setPos(input);
  e.beginBatch();
  let st = e.parse(input + data.length, complete ? 1 : 0, opts.sampleRows);
  if (st < 0) throw csvParseError(st, w, ctx);
  const end = e.getPos();
  // Pass 2: every column is a candidate set.
  const s = specView();
  for (let c = 0; c < ncols; c++) s.set([CsvTypeCode.infer, 0, 0, 0, 0, 0, 0b1111, 0], c * 8);
  e.setLine(firstLine);
  e.setPos(input);
  e.beginBatch();
  st = e.parse(end, 1, opts.sampleRows);
  if (st < 0 || (st !== ParseStatus.DONE && st !== ParseStatus.FULL)) throw csvParseError(st, w, ctx);
  const out = specView();
  return header.names.map((_, c) => {
    const mask = out[c * 8 + 6]!;
    const seen = out[c * 8 + 7]!;
    if (seen === 0) return 'utf8';
    for (const [bit, type] of CANDIDATES) if ((mask & bit) !== 0) return type;
    return 'utf8';
  });
}
