import {
  Field,
  Int32,
  RecordBatch,
  RecordBatchReader,
  Schema as ArrowSchema,
  Utf8,
  makeData,
  Struct,
  tableFromArrays,
  tableFromIPC,
  vectorFromArray,
} from 'apache-arrow';
import { ExecutionError } from '@pushdown/proto';
import type { Fragment, Schema } from '@pushdown/engine';
import { chunksOf, IpcStreamEncoder } from '../src/scan/ipc-encoder.js';
import { fragmentOutputSchema } from '../src/scan/output-schema.js';

describe('IpcStreamEncoder', () => {
  /** A batch of (x int32, y utf8) with its own schema object, as separate reader calls make. */
  const batchOf = (xs: number[], ys: string[], nullable = true) => {
    const fields = [new Field('x', new Int32(), nullable), new Field('y', new Utf8(), nullable)];
    const children = [vectorFromArray(xs, new Int32()).data[0]!, vectorFromArray(ys, new Utf8()).data[0]!];
    const data = makeData({ type: new Struct(fields), length: xs.length, nullCount: 0, children });
    return new RecordBatch(new ArrowSchema(fields), data);
  };

  it('turns batches into one IPC stream, bytes handed out as they are made', () => {
    const enc = new IpcStreamEncoder();
    const parts = [batchOf([1, 2, 3], ['a', 'b', 'c']), batchOf([4], ['d'], false)].map((batch) =>
      enc.write(batch),
    );
    expect(parts.every((p) => p.byteLength > 0)).toBe(true);
    parts.push(enc.finish(null));
    const bytes = Buffer.concat(parts);
    const table = tableFromIPC(bytes);
    expect(table.toArray().map((r) => r.toJSON())).toEqual([
      { x: 1, y: 'a' },
      { x: 2, y: 'b' },
      { x: 3, y: 'c' },
      { x: 4, y: 'd' },
    ]);
    // One stream: a single schema, then the end-of-stream marker.
    expect([...RecordBatchReader.from(bytes)].length).toBe(2);
    expect(bytes.subarray(-8)).toEqual(Buffer.from([255, 255, 255, 255, 0, 0, 0, 0]));
  });

  it('refuses a batch whose column types differ from the first', () => {
    const enc = new IpcStreamEncoder();
    enc.write(batchOf([1], ['a']));
    const other = tableFromArrays({ x: Float64Array.from([1.5]), y: Int32Array.from([1]) }).batches[0]!;
    expect(() => enc.write(other)).toThrow(ExecutionError);
  });

  it('writes the schema when no batch came', () => {
    const schema = tableFromArrays({ x: Int32Array.from([1]) }).schema;
    const table = tableFromIPC(new IpcStreamEncoder().finish(schema));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['x']);
  });

  it('splits bytes into views of at most the chunk size', () => {
    const bytes = new Uint8Array(2500).map((_, i) => i % 256);
    const chunks = [...chunksOf(bytes, 1000)];
    expect(chunks.map((c) => c.byteLength)).toEqual([1000, 1000, 500]);
    expect(Buffer.concat(chunks).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('fragmentOutputSchema', () => {
  const schema: Schema = [
    { name: 'k', type: 'int64', nullable: false },
    { name: 'g', type: 'int32', nullable: true },
    { name: 'v', type: 'float64', nullable: true },
  ];
  const base: Fragment = {
    version: 1,
    table: 't',
    object: 'o.parquet',
    format: 'parquet',
    schema,
    columns: ['k', 'g', 'v'],
    filter: null,
    project: null,
    aggregate: null,
    limit: null,
    rowGroups: null,
  };
  const shape = (f: Fragment) => fragmentOutputSchema(f, schema).fields.map((x) => `${x.name}:${x.type}`);

  it('reads columns as they are', () => {
    expect(shape({ ...base, columns: ['v', 'k'] })).toEqual(['v:Float64', 'k:Int64']);
  });
  it('types projections', () => {
    const project = [
      {
        name: 'p',
        expr: {
          kind: 'binary',
          op: '*',
          left: { kind: 'column', name: 'g' },
          right: { kind: 'column', name: 'g' },
        },
      },
      {
        name: 'q',
        expr: {
          kind: 'binary',
          op: '/',
          left: { kind: 'column', name: 'k' },
          right: { kind: 'literal', value: 2, type: 'int32' },
        },
      },
      {
        name: 'b',
        expr: {
          kind: 'binary',
          op: '<',
          left: { kind: 'column', name: 'k' },
          right: { kind: 'literal', value: 2, type: 'int32' },
        },
      },
    ] as const;
    expect(shape({ ...base, project })).toEqual(['p:Int64', 'q:Float64', 'b:Bool']);
  });
  it('names and types partial aggregate states', () => {
    const aggregate = {
      groupBy: [{ name: 'g', expr: { kind: 'column', name: 'g' } }],
      aggregates: [
        { name: 'n', fn: 'count', arg: null },
        { name: 's', fn: 'sum', arg: { kind: 'column', name: 'g' } },
        { name: 'a', fn: 'avg', arg: { kind: 'column', name: 'v' } },
        { name: 'm', fn: 'max', arg: { kind: 'column', name: 'v' } },
      ],
    } as const;
    expect(shape({ ...base, aggregate })).toEqual([
      'g:Int32',
      'n:Int64',
      's:Int64',
      'a$sum:Float64',
      'a$count:Int64',
      'm:Float64',
    ]);
  });
});
