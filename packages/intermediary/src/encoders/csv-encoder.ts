/**
 * CSV: RFC 4180 quoting with a header line. Fields holding a comma, quote, CR or LF are quoted
 * (quotes doubled); NULL is an empty field and the empty string is `""`, so the two stay
 * apart. Lines end with LF, as DuckDB and most tools write (RFC 4180 parsers accept it).
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import { ChunkBuffer } from './chunk-buffer.js';
import type { ResultEncoder } from './result-encoder.js';
import { cellFormatter } from './value-text.js';

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(s: string): string {
  if (s === '') return '""';
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export class CsvEncoder implements ResultEncoder {
  readonly format = 'csv' as const;
  readonly #out: ChunkBuffer;
  #headerDone = false;
  readonly #schema: Schema;

  constructor(schema: Schema, chunkBytes?: number) {
    this.#schema = schema;
    this.#out = new ChunkBuffer(chunkBytes);
  }

  write(batch: RecordBatch): Uint8Array[] {
    this.#header();
    const cols = batch.schema.fields.map((_, j) => cellFormatter(batch.getChildAt(j)!));
    const n = batch.numRows;
    for (let i = 0; i < n; i++) {
      let line = '';
      for (let j = 0; j < cols.length; j++) {
        const v = cols[j]!.text(i);
        if (j > 0) line += ',';
        if (v !== null) line += csvField(v);
      }
      this.#out.pushText(line + '\n');
    }
    return this.#out.take();
  }

  finish(): Uint8Array[] {
    this.#header();
    return this.#out.takeAll();
  }

  #header(): void {
    if (this.#headerDone) return;
    this.#headerDone = true;
    this.#out.pushText(this.#schema.fields.map((f) => csvField(f.name)).join(',') + '\n');
  }
}
