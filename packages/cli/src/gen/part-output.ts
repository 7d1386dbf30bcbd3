/**
 * The files of one part, filled row group by row group in order: Parquet through the stitcher
 * (small one-group files → one file), CSV by appending each group's encoded records after the
 * header. Every file is an AtomicFile: it appears under its name only when `close` succeeds,
 * and `abort` leaves nothing behind.
 */
import { join } from 'node:path';
import { CsvSink } from './csv-sink.js';
import type { GenFormat, GenOptions } from './options.js';
import { ParquetStitcher } from './parquet-stitch.js';
import { partFileName } from './part-plan.js';
import type { EncodedGroup } from './row-group-encoder.js';
import type { TableGenerator } from './table-generator.js';

export interface GeneratedFile {
  readonly path: string;
  readonly format: GenFormat;
  readonly part: number;
  readonly rows: number;
  readonly bytes: number;
}

type Output = { format: 'parquet'; file: ParquetStitcher } | { format: 'csv'; file: CsvSink };

export class PartOutput {
  private rows = 0;

  private constructor(
    readonly part: number,
    private readonly outputs: Output[],
  ) {}

  /** Opens the part's files (temp names) in `options.formats` order. */
  static async open(table: TableGenerator, options: GenOptions, part: number): Promise<PartOutput> {
    const outputs: Output[] = [];
    try {
      for (const format of options.formats) {
        const path = join(options.outDir, partFileName(table.name, part, options.parts, format));
        outputs.push(
          format === 'csv'
            ? { format, file: await CsvSink.create(path, table.schema) }
            : { format, file: await ParquetStitcher.create(path) },
        );
      }
    } catch (err) {
      await Promise.all(outputs.map((o) => o.file.abort().catch(() => undefined)));
      throw err;
    }
    return new PartOutput(part, outputs);
  }

  async append(group: EncodedGroup): Promise<void> {
    for (const o of this.outputs) {
      if (o.format === 'csv') await o.file.writeEncoded(group.csv!);
      else await o.file.append(group.parquet!);
    }
    this.rows += group.rows;
  }

  async close(): Promise<GeneratedFile[]> {
    const files: GeneratedFile[] = [];
    for (const o of this.outputs) {
      const bytes = await o.file.close();
      files.push({ path: o.file.path, format: o.format, part: this.part, rows: this.rows, bytes });
    }
    return files;
  }

  async abort(): Promise<void> {
    await Promise.all(this.outputs.map((o) => o.file.abort().catch(() => undefined)));
  }
}
