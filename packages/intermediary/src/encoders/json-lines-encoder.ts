/**
 * JSON Lines: one object per row, keys in column order. Dates are "yyyy-mm-dd" strings,
 * int64 a number when it is a safe integer and a string otherwise, NULL is null.
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import { ChunkBuffer } from './chunk-buffer.js';
import type { ResultEncoder } from './result-encoder.js';
import { cellFormatter } from './value-text.js';

export class JsonLinesEncoder implements ResultEncoder {
  readonly format = 'json' as const;
  readonly #out: ChunkBuffer;

  constructor(_schema: Schema, chunkBytes?: number) {
    this.#out = new ChunkBuffer(chunkBytes);
  }

  write(batch: RecordBatch): Uint8Array[] {
    const keys = batch.schema.fields.map((f) => JSON.stringify(f.name) + ':');
    const cols = batch.schema.fields.map((_, j) => cellFormatter(batch.getChildAt(j)!));
    const n = batch.numRows;
    for (let i = 0; i < n; i++) {
      let line = '{';
      for (let j = 0; j < cols.length; j++) {
        if (j > 0) line += ',';
        line += keys[j]! + cols[j]!.json(i);
      }
      this.#out.pushText(line + '}\n');
    }
    return this.#out.take();
  }

  finish(): Uint8Array[] {
    return this.#out.takeAll();
  }
}
