/**
 * The Thrift compact codec under the row-group stitcher: decode then encode must give back the
 * very bytes of real footers (ours from parquet-wasm and one DuckDB wrote), and values of every
 * wire type must survive a round trip, including the encodings a footer rarely shows (long
 * field headers, lists of 15+ items, maps, negative and 64-bit integers, doubles).
 */
import { join } from 'node:path';
import { CorruptDataError } from '@pushdown/proto';
import { MAGIC, readParquetParts } from '../src/gen/parquet-footer.js';
import { TT, decodeStruct, encodeStruct, type ThriftStruct } from '../src/gen/thrift-compact.js';
import { bytesOf, duck, genLineitem, makeTempDir, removeDir } from './gen-helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('thrift');
});
afterAll(() => removeDir(dir));

function footerBytes(file: Uint8Array): Uint8Array {
  const len = new DataView(file.buffer, file.byteOffset + file.length - 8, 4).getUint32(0, true);
  return file.subarray(file.length - 8 - len, file.length - 8);
}

describe('thrift compact codec', () => {
  it('round-trips a generated lineitem footer byte for byte', async () => {
    await genLineitem(dir, { formats: 'parquet', rowGroupSize: 8192, threads: 1 });
    const file = await bytesOf(join(dir, 'lineitem-00000-of-00001.parquet'));
    const footer = footerBytes(file);
    const { struct, end } = decodeStruct(footer);
    expect(end).toBe(footer.length);
    expect(Buffer.from(encodeStruct(struct)).equals(Buffer.from(footer))).toBe(true);
    // The tree is really parsed, not carried as one blob: 8 row groups of 16 columns.
    const { meta } = readParquetParts(file);
    const groups = meta.fields.find((f) => f.id === 4)!.value as { items: unknown[] };
    expect(groups.items).toHaveLength(Math.ceil(60175 / 8192));
  });

  it('round-trips a footer written by DuckDB (another encoder) byte for byte', async () => {
    const path = join(dir, 'duck.parquet');
    await duck(
      `COPY (SELECT range AS id, range * 0.5 AS half, 'x' || range AS s, range % 2 = 0 AS even
             FROM range(5000)) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`,
    );
    const footer = footerBytes(await bytesOf(path));
    expect(Buffer.from(encodeStruct(decodeStruct(footer).struct)).equals(Buffer.from(footer))).toBe(true);
  });

  it('round-trips every wire type, long field headers and long lists', () => {
    const inner: ThriftStruct = { kind: 'struct', fields: [{ id: 1, type: TT.I32, value: -1 }] };
    const struct: ThriftStruct = {
      kind: 'struct',
      fields: [
        { id: 1, type: TT.TRUE, value: true },
        { id: 2, type: TT.TRUE, value: false },
        { id: 3, type: TT.I8, value: -128 },
        { id: 4, type: TT.I16, value: -32768 },
        { id: 5, type: TT.I32, value: 2147483647 },
        { id: 6, type: TT.I64, value: -(2n ** 63n) },
        { id: 7, type: TT.I64, value: 2n ** 63n - 1n },
        { id: 8, type: TT.DOUBLE, value: -0.1 },
        { id: 9, type: TT.BINARY, value: new Uint8Array([0, 255, 7]) },
        // id delta 16 and a negative delta: long-form field headers.
        { id: 25, type: TT.LIST, value: { kind: 'list', elemType: TT.I32, items: range(20) } },
        { id: 3000, type: TT.STRUCT, value: inner },
        { id: 10, type: TT.SET, value: { kind: 'list', elemType: TT.TRUE, items: [true, false] } },
        {
          id: 11,
          type: TT.MAP,
          value: {
            kind: 'map',
            keyType: TT.BINARY,
            valueType: TT.I64,
            entries: [[new Uint8Array([97]), 5n]],
          },
        },
        { id: 12, type: TT.MAP, value: { kind: 'map', keyType: 0, valueType: 0, entries: [] } },
      ],
    };
    const bytes = encodeStruct(struct);
    const back = decodeStruct(bytes).struct;
    expect(back).toEqual(struct);
    expect(Buffer.from(encodeStruct(back)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('writes pre-encoded (raw) structs verbatim', () => {
    const inner: ThriftStruct = { kind: 'struct', fields: [{ id: 1, type: TT.I64, value: 42n }] };
    const direct = encodeStruct({ kind: 'struct', fields: [{ id: 1, type: TT.STRUCT, value: inner }] });
    const raw = encodeStruct({
      kind: 'struct',
      fields: [{ id: 1, type: TT.STRUCT, value: { kind: 'raw', bytes: encodeStruct(inner) } }],
    });
    expect(Buffer.from(raw).equals(Buffer.from(direct))).toBe(true);
  });

  it('refuses truncated input and files without the Parquet magic', () => {
    const bytes = encodeStruct({
      kind: 'struct',
      fields: [{ id: 1, type: TT.BINARY, value: new Uint8Array(9) }],
    });
    expect(() => decodeStruct(bytes.subarray(0, 5))).toThrow(CorruptDataError);
    expect(() => readParquetParts(new Uint8Array(20))).toThrow(/PAR1 magic/);
    const lying = new Uint8Array([...MAGIC, 0, 0, 0xff, 0, 0, 0, ...MAGIC]);
    expect(() => readParquetParts(lying)).toThrow(CorruptDataError);
  });
});

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i * 1000 - 5);
}
