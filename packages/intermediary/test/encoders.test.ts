import type { RecordBatch } from 'apache-arrow';
import {
  Bool,
  DateDay,
  Field,
  Float64,
  Int32,
  Int64,
  Schema,
  Table,
  Utf8,
  tableFromIPC,
  vectorFromArray,
} from 'apache-arrow';
import { arrowSchemaOf } from '@pushdown/engine';
import { createResultEncoder, resultFormatOf, type ResultFormatName } from '@pushdown/intermediary';
import { csvField } from '../src/encoders/csv-encoder.js';
import { formatDays } from '../src/encoders/value-text.js';

const DAY = 86_400_000;

const schema = new Schema([
  new Field('id', new Int64(), false),
  new Field('name', new Utf8(), true),
  new Field('price', new Float64(), true),
  new Field('shipdate', new DateDay(), true),
  new Field('flag', new Bool(), true),
  new Field('qty', new Int32(), true),
]);

function batchOf(rows: {
  id: bigint[];
  name: (string | null)[];
  price: (number | null)[];
  shipdate: (number | null)[]; // days since epoch
  flag: (boolean | null)[];
  qty: (number | null)[];
}): RecordBatch {
  const table = new Table(schema, {
    id: vectorFromArray(rows.id, new Int64()),
    name: vectorFromArray(rows.name, new Utf8()),
    price: vectorFromArray(rows.price, new Float64()),
    shipdate: vectorFromArray(
      rows.shipdate.map((d) => (d === null ? null : new Date(d * DAY))),
      new DateDay(),
    ),
    flag: vectorFromArray(rows.flag, new Bool()),
    qty: vectorFromArray(rows.qty, new Int32()),
  });
  return table.batches[0]!;
}

const sample = batchOf({
  id: [1n, 9007199254740993n, -5n],
  name: ['plain', 'has,comma "and" quotes\nnewline', null],
  price: [0.1 + 0.2, null, 1e21],
  shipdate: [9190, null, -1],
  flag: [true, false, null],
  qty: [7, null, -2147483648],
});

function encode(format: ResultFormatName, batches: RecordBatch[], chunkBytes?: number): Uint8Array[] {
  const enc = createResultEncoder(format, schema, chunkBytes);
  const out: Uint8Array[] = [];
  for (const b of batches) out.push(...enc.write(b));
  out.push(...enc.finish());
  return out;
}

const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('utf8');

describe('CSV encoder', () => {
  test('header, RFC 4180 quoting, NULL as empty field, dates, shortest floats', () => {
    expect(text(encode('csv', [sample]))).toBe(
      'id,name,price,shipdate,flag,qty\n' +
        '1,plain,0.30000000000000004,1995-03-01,true,7\n' +
        '9007199254740993,"has,comma ""and"" quotes\nnewline",,,false,\n' +
        '-5,,1e+21,1969-12-31,,-2147483648\n',
    );
  });

  test('a sliced batch (non-zero offset) prints its own rows', () => {
    // Row 1 holds a quoted newline, so it spans lines 2 and 3.
    const full = text(encode('csv', [sample])).split('\n');
    expect(text(encode('csv', [sample.slice(1, 3)]))).toBe(
      [full[0], full[2], full[3], full[4], ''].join('\n'),
    );
    const json = text(encode('json', [sample])).split('\n');
    expect(text(encode('json', [sample.slice(2, 3)]))).toBe(`${json[2]}\n`);
  });

  test('empty string is "" so it differs from NULL', () => {
    expect(csvField('')).toBe('""');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField('x')).toBe('x');
  });

  test('no batches still gives the header', () => {
    expect(text(encode('csv', []))).toBe('id,name,price,shipdate,flag,qty\n');
  });
});

describe('JSON Lines encoder', () => {
  test('one object per row with typed values', () => {
    const lines = text(encode('json', [sample]))
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      '{"id":1,"name":"plain","price":0.30000000000000004,"shipdate":"1995-03-01","flag":true,"qty":7}',
    );
    const second = JSON.parse(lines[1]!) as Record<string, unknown>;
    expect(second).toEqual({
      id: '9007199254740993', // beyond 2^53: a string keeps it exact
      name: 'has,comma "and" quotes\nnewline',
      price: null,
      shipdate: null,
      flag: false,
      qty: null,
    });
    expect(JSON.parse(lines[2]!)).toEqual({
      id: -5,
      name: null,
      price: 1e21,
      shipdate: '1969-12-31',
      flag: null,
      qty: -2147483648,
    });
  });

  test('no batches gives no bytes', () => {
    expect(text(encode('json', []))).toBe('');
  });
});

describe('Arrow IPC encoder', () => {
  test('the chunks form one stream that decodes to the same rows', () => {
    const bytes = Buffer.concat(encode('arrow', [sample, sample]));
    const t = tableFromIPC(bytes);
    expect(t.numRows).toBe(6);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['id', 'name', 'price', 'shipdate', 'flag', 'qty']);
    expect(t.getChild('id')!.get(1)).toBe(9007199254740993n);
    expect(t.getChild('name')!.get(1)).toBe('has,comma "and" quotes\nnewline');
    expect(t.getChild('shipdate')!.get(0)).toBe(9190 * DAY);
    expect(t.getChild('price')!.get(1)).toBeNull();
  });

  test('no batches gives a schema-only stream', () => {
    const t = tableFromIPC(Buffer.concat(encode('arrow', [])));
    expect(t.numRows).toBe(0);
    expect(t.schema.fields.map((f) => f.name)).toEqual(schema.fields.map((f) => f.name));
  });

  test('arrowSchemaOf maps engine types', () => {
    const s = arrowSchemaOf([
      { name: 'a', type: 'date32', nullable: true },
      { name: 'b', type: 'int64', nullable: false },
    ]);
    expect(s.fields.map((f) => String(f.type))).toEqual(['Date32<DAY>', 'Int64']);
    expect(s.fields[1]!.nullable).toBe(false);
  });
});

describe('chunking', () => {
  test.each(['csv', 'json', 'arrow'] as const)('%s chunks never exceed the chunk size', (format) => {
    const n = 20_000;
    const big = batchOf({
      id: Array.from({ length: n }, (_, i) => BigInt(i)),
      name: Array.from({ length: n }, (_, i) => `name-${i}-${'x'.repeat(40)}`),
      price: Array.from({ length: n }, (_, i) => i / 3),
      shipdate: Array.from({ length: n }, (_, i) => i % 10000),
      flag: Array.from({ length: n }, (_, i) => i % 2 === 0),
      qty: Array.from({ length: n }, (_, i) => i),
    });
    const chunkBytes = 64 * 1024;
    const chunks = encode(format, [big], chunkBytes);
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.byteLength).toBeLessThanOrEqual(chunkBytes);
    if (format === 'arrow') expect(tableFromIPC(Buffer.concat(chunks)).numRows).toBe(n);
    else expect(text(chunks).trimEnd().split('\n')).toHaveLength(format === 'csv' ? n + 1 : n);
  });
});

describe('formats', () => {
  test('formatDays is exact across eras', () => {
    expect(formatDays(0)).toBe('1970-01-01');
    expect(formatDays(-719468)).toBe('0000-03-01');
    expect(formatDays(10957)).toBe('2000-01-01');
    expect(formatDays(11016)).toBe('2000-02-29');
    for (let d = -50_000; d < 50_000; d += 37) {
      expect(formatDays(d)).toBe(new Date(d * DAY).toISOString().slice(0, 10));
    }
  });

  test('resultFormatOf accepts proto enum names and numbers', () => {
    expect(resultFormatOf('RESULT_FORMAT_CSV')).toBe('csv');
    expect(resultFormatOf(2)).toBe('json');
    expect(resultFormatOf(undefined)).toBe('arrow');
    expect(() => resultFormatOf('XML')).toThrow(/unknown result format "XML"/);
  });
});
