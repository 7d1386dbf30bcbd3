/**
 * The bench data set and the kernels measured over it. One deterministic table (coordinates,
 * int64 keys, comment-like strings) feeds every implementation: the WASM plugins, their
 * TypeScript references and DuckDB, which gets the same rows through an appender before any
 * timing starts. Batches of n rows are prefixes of it, so every size sees the same values.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { UdfColumn } from '@pushdown/plugins';
import { seeded } from './plugin-bench-util.js';

export interface BenchData {
  rows: number;
  lat: Float64Array;
  lon: Float64Array;
  key: BigInt64Array;
  /** utf8 column: offsets (rows + 1, from 0) into data. */
  offsets: Int32Array;
  text: Uint8Array;
}

// TPC-H comment vocabulary; 'special' lands in roughly one string in five, so contains()
// is neither all-miss (first-byte scan only) nor all-hit.
const WORDS = [
  'carefully',
  'final',
  'deposits',
  'special',
  'requests',
  'quickly',
  'ironic',
  'packages',
  'furiously',
  'regular',
  'accounts',
  'pending',
  'blithely',
  'express',
  'theodolites',
  'bold',
  'slyly',
  'even',
  'instructions',
  'fluffily',
];

/** Generates `rows` rows from a fixed seed (about 1 s per million rows, mostly the strings). */
export function makeBenchData(rows: number): BenchData {
  const rand = seeded(0x9e3779b9);
  const lat = new Float64Array(rows);
  const lon = new Float64Array(rows);
  const key = new BigInt64Array(rows);
  const enc = new TextEncoder();
  const words = WORDS.map((w) => enc.encode(w));
  const offsets = new Int32Array(rows + 1);
  let text = new Uint8Array(rows * 48);
  let at = 0;
  for (let i = 0; i < rows; i++) {
    lat[i] = rand() * 180 - 90;
    lon[i] = rand() * 360 - 180;
    key[i] = BigInt(Math.floor(rand() * 2 ** 32)) * 65536n + BigInt(i & 0xffff);
    const count = 2 + Math.floor(rand() * 5);
    for (let w = 0; w < count; w++) {
      const word = words[Math.floor(rand() * words.length)]!;
      if (at + word.length + 1 > text.length) {
        const grown = new Uint8Array(text.length * 2);
        grown.set(text);
        text = grown;
      }
      if (w > 0) text[at++] = 0x20;
      text.set(word, at);
      at += word.length;
    }
    offsets[i + 1] = at;
  }
  return { rows, lat, lon, key, offsets, text: text.slice(0, at) };
}

/** The point geo_distance_to measures from (Montreal). */
export const GEO_POINT = { lat: 45.5, lon: -73.5 };
export const PATTERN = 'special';

/** One kernel: a plugin function, its argument batch, and its DuckDB counterpart if any. */
export interface Kernel {
  /** `<plugin>.<function>`, the key of REFERENCE_UDFS too. */
  id: string;
  plugin: string;
  fn: string;
  /** The argument columns for the first `n` rows (constants stay one-row columns). */
  args(n: number): UdfColumn[];
  /** DuckDB: `sql` computes the function, `base` does the same scan and aggregate without it. */
  duck: { sql: string; base: string; note: string };
}

export function kernels(d: BenchData): Kernel[] {
  const utf8 = (n: number): UdfColumn => ({
    type: 'utf8',
    offsets: d.offsets.subarray(0, n + 1),
    // The host copies all of `data`, so a prefix batch must end where its last string does.
    data: d.text.subarray(0, d.offsets[n]!),
  });
  const constUtf8 = (s: string): UdfColumn => {
    const data = new TextEncoder().encode(s);
    return { type: 'utf8', offsets: Int32Array.of(0, data.length), data };
  };
  const R = 6371.0088; // the plugin's mean Earth radius in km
  return [
    {
      id: 'geo.geo_distance_to',
      plugin: 'geo',
      fn: 'geo_distance_to',
      args: (n) => [
        { type: 'float64', values: d.lat.subarray(0, n) },
        { type: 'float64', values: d.lon.subarray(0, n) },
        { type: 'float64', values: Float64Array.of(GEO_POINT.lat) },
        { type: 'float64', values: Float64Array.of(GEO_POINT.lon) },
      ],
      duck: {
        // The haversine of the plugin, term for term; the subquery names the two sines once.
        sql:
          `SELECT sum(2 * ${R} * asin(sqrt(least(1, s1 * s1 + cos(radians(lat)) * cos(radians(${GEO_POINT.lat})) * s2 * s2)))) ` +
          `FROM (SELECT lat, sin(radians(${GEO_POINT.lat} - lat) * 0.5) AS s1, sin(radians(${GEO_POINT.lon} - lon) * 0.5) AS s2 FROM bench)`,
        base: 'SELECT sum(lat + lon) FROM bench',
        note: 'same haversine as a SQL expression',
      },
    },
    {
      id: 'text_match.contains',
      plugin: 'text_match',
      fn: 'contains',
      args: (n) => [utf8(n), constUtf8(PATTERN)],
      duck: {
        sql: `SELECT sum(contains(s, '${PATTERN}')::INTEGER) FROM bench`,
        base: 'SELECT sum(strlen(s)) FROM bench',
        note: 'contains(): same byte-exact semantics',
      },
    },
    {
      id: 'hash64.hash64_int64',
      plugin: 'hash64',
      fn: 'hash64_int64',
      args: (n) => [{ type: 'int64', values: d.key.subarray(0, n) }],
      duck: {
        sql: 'SELECT bit_xor(hash(k)) FROM bench',
        base: 'SELECT bit_xor(k) FROM bench',
        note: 'hash(): another hash function, same kind of work',
      },
    },
    {
      id: 'hash64.hash64_utf8',
      plugin: 'hash64',
      fn: 'hash64_utf8',
      args: (n) => [utf8(n)],
      duck: {
        sql: 'SELECT bit_xor(hash(s)) FROM bench',
        base: 'SELECT bit_xor(strlen(s)) FROM bench',
        note: 'hash(): another hash function, same kind of work',
      },
    },
  ];
}

/** Loads the data into table `bench` of `conn` (row by row through an appender: ~1.5 s per 1M). */
export async function loadIntoDuckDB(conn: DuckDBConnection, d: BenchData): Promise<void> {
  await conn.run('CREATE OR REPLACE TABLE bench (lat DOUBLE, lon DOUBLE, k BIGINT, s VARCHAR)');
  const app = await conn.createAppender('bench');
  const dec = new TextDecoder();
  for (let i = 0; i < d.rows; i++) {
    app.appendDouble(d.lat[i]!);
    app.appendDouble(d.lon[i]!);
    app.appendBigInt(d.key[i]!);
    app.appendVarchar(dec.decode(d.text.subarray(d.offsets[i]!, d.offsets[i + 1]!)));
    app.endRow();
  }
  app.closeSync();
}
