/**
 * The jsonl format reader's values: each JSON kind into each column type, escapes and unicode,
 * nulls and missing keys, line endings, and an object read through many small fd_read chunks.
 * Runs the built plugin (build/jsonl.wasm) through the real WASI host.
 */
import { batchesOf, rowsOf, schemaOf } from './jsonl-support.js';

describe('jsonl reader values', () => {
  it('unescapes every JSON escape, \\u escapes and surrogate pairs', () => {
    const line = String.raw`{"s":"q\" b\\ s\/ \b\f\n\r\t \u00e9\u4e2d \ud83d\ude00 raw é😀"}`;
    expect(rowsOf(line + '\n')).toEqual([{ s: 'q" b\\ s/ \b\f\n\r\t é中 😀 raw é😀' }]);
  });

  it('turns missing keys and null into nulls, and ignores key order', () => {
    const text = '{"a":1,"b":"x"}\n{"b":"y"}\n{"b":null,"a":3}\n{}\n';
    expect(rowsOf(text)).toEqual([
      { a: 1n, b: 'x' },
      { a: null, b: 'y' },
      { a: 3n, b: null },
      { a: null, b: null },
    ]);
  });

  it('infers int64 for integers, float64 once any value has a fraction or exponent', () => {
    const text = '{"i":1,"f":1,"e":2}\n{"i":-9223372036854775808,"f":2.5,"e":1e3}\n';
    expect(schemaOf(text).map((f) => f.type)).toEqual(['int64', 'float64', 'float64']);
    expect(rowsOf(text)).toEqual([
      { i: 1n, f: 1, e: 2 },
      { i: -9223372036854775808n, f: 2.5, e: 1000 },
    ]);
  });

  it('parses floats exactly like JavaScript, fast path and slow path', () => {
    const values = [
      '0.1',
      '123456.78',
      '-0.000123',
      '1.7976931348623157e308',
      '5e-324',
      '0.30000000000000004',
      '12345678901234567890.5',
    ];
    const text = values.map((v) => `{"x":${v}}`).join('\n');
    expect(rowsOf(text).map((r) => r.x)).toEqual(values.map(Number));
  });

  it('infers bool, date32 (YYYY-MM-DD strings only) and utf8 for mixed kinds', () => {
    const text =
      '{"b":true,"d":"1970-01-02","m":1,"n":null,"s":"2020-02-30"}\n{"b":false,"d":"2000-03-01","m":"x"}\n';
    expect(schemaOf(text)).toEqual([
      { name: 'b', type: 'bool', nullable: true },
      { name: 'd', type: 'date32', nullable: true },
      { name: 'm', type: 'utf8', nullable: true },
      { name: 'n', type: 'utf8', nullable: true },
      { name: 's', type: 'utf8', nullable: true }, // Feb 30 is not a date
    ]);
    expect(rowsOf(text)).toEqual([
      { b: true, d: 1, m: '1', n: null, s: '2020-02-30' },
      { b: false, d: 11017, m: 'x', n: null, s: null },
    ]);
  });

  it('keeps nested objects and arrays as their JSON text in utf8 columns', () => {
    const text = '{"o":{"k":[1,{"z":"}"}]},"a":[]}\n';
    expect(rowsOf(text)).toEqual([{ o: '{"k":[1,{"z":"}"}]}', a: '[]' }]);
  });

  it('reads an empty object, blank lines, CRLF endings and a last line without newline', () => {
    expect(schemaOf('')).toEqual([]);
    expect(batchesOf('')).toEqual([]);
    expect(rowsOf('\n  \n')).toEqual([]);
    expect(rowsOf('{"a":1}\r\n\r\n{"a":2}\r\n{"a":3}')).toEqual([{ a: 1n }, { a: 2n }, { a: 3n }]);
    expect(rowsOf('\ufeff{"a":"bom"}')).toEqual([{ a: 'bom' }]);
  });

  it('reads a big object through many small chunks, with lines longer than a chunk', () => {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) {
      lines.push(JSON.stringify({ id: i, name: `n${i}`.repeat(1 + (i % 7)), price: i / 4, ok: i % 3 === 0 }));
    }
    const text = lines.join('\n') + '\n';
    const reads: number[] = [];
    const batches = batchesOf(text, {
      chunkBytes: 64,
      batchRows: 1000,
      trace: (c) => {
        if (c.name === 'fd_read') reads.push(c.args.length);
      },
    });
    // 64-byte reads of ~150 KB, twice (inference samples it all, then the scan): thousands of calls.
    expect(reads.length).toBeGreaterThan((2 * text.length) / 64 - 10);
    expect(batches.map((b) => b.rows)).toEqual([1000, 1000, 1000, 1000, 1000]);
    const rows = rowsOf(text, { chunkBytes: 64, batchRows: 777 });
    expect(rows).toHaveLength(5000);
    rows.forEach((r, i) => {
      const want = JSON.parse(lines[i]!) as Record<string, unknown>;
      expect(r).toEqual({ ...want, id: BigInt(i) });
    });
  });
});
