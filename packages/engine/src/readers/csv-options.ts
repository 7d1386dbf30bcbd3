/**
 * Options of the CSV reader, their defaults and the validator whose messages tests pin.
 */
import { InvalidArgumentError } from '@pushdown/proto';

export interface CsvReaderOptions {
  /** One ASCII byte other than '"', CR or LF (default ','). */
  readonly delimiter?: string;
  /** Bytes of the input region the object is read into per step (default 4 MiB). */
  readonly chunkBytes?: number;
  /** Type inference looks at most at this prefix of the object (default 1 MiB)... */
  readonly sampleBytes?: number;
  /** ...and at most this many records of it (default 20 480, like DuckDB's sniffer). */
  readonly sampleRows?: number;
  /**
   * Grid of scan units (default 8 MiB: each unit costs a thread hop and a read setup): a unit ends after the first record ending at or past
   * each grid point. Batches never span units, on one thread or many, so a parallel scan
   * (one unit per task) aggregates exactly the slices a serial scan does.
   */
  readonly unitBytes?: number;
}

export interface ResolvedCsvOptions {
  readonly delimiter: number;
  readonly chunkBytes: number;
  readonly sampleBytes: number;
  readonly sampleRows: number;
  readonly unitBytes: number;
}

export const CSV_DEFAULTS: ResolvedCsvOptions = Object.freeze({
  delimiter: 0x2c,
  chunkBytes: 4 * 2 ** 20,
  sampleBytes: 2 ** 20,
  sampleRows: 20_480,
  unitBytes: 8 * 2 ** 20,
});

const KNOWN = new Set(['delimiter', 'chunkBytes', 'sampleBytes', 'sampleRows', 'unitBytes']);

export function resolveCsvOptions(options: CsvReaderOptions = {}): ResolvedCsvOptions {
  for (const k of Object.keys(options)) {
    if (!KNOWN.has(k))
      throw new InvalidArgumentError(`unknown CSV option "${k}" (known: ${[...KNOWN].join(', ')})`);
  }
  let delimiter = CSV_DEFAULTS.delimiter;
  if (options.delimiter !== undefined) {
    const d = options.delimiter;
    if (d.length !== 1 || d.charCodeAt(0) > 0x7f || d === '"' || d === '\n' || d === '\r') {
      throw new InvalidArgumentError(
        "options.delimiter must be one ASCII character other than '\"', CR or LF",
      );
    }
    delimiter = d.charCodeAt(0);
  }
  const positive = (name: string, v: number | undefined, dflt: number, min: number): number => {
    if (v === undefined) return dflt;
    if (!Number.isInteger(v) || v < min)
      throw new InvalidArgumentError(`options.${name} must be an integer >= ${min}`);
    return v;
  };
  return {
    delimiter,
    chunkBytes: positive('chunkBytes', options.chunkBytes, CSV_DEFAULTS.chunkBytes, 16),
    sampleBytes: positive('sampleBytes', options.sampleBytes, CSV_DEFAULTS.sampleBytes, 1024),
    sampleRows: positive('sampleRows', options.sampleRows, CSV_DEFAULTS.sampleRows, 1),
    unitBytes: positive('unitBytes', options.unitBytes, CSV_DEFAULTS.unitBytes, 16),
  };
}
