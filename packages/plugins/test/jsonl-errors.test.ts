/**
 * The jsonl format reader's refusals and declared schemas: a malformed line fails the read with
 * CorruptDataError naming the object, the line number and why; a declared schema replaces
 * inference and its types are enforced; a bad declared schema is InvalidArgumentError.
 */
import { CorruptDataError, InvalidArgumentError, PluginError } from '@pushdown/proto';
import { formatReaderModule } from '../src/format-reader/format-reader-module.js';
import { batchesOf, jsonlPlugin, rowsOf, schemaOf } from './jsonl-support.js';

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

describe('jsonl reader errors', () => {
  const good = '{"a":1,"s":"x"}\n';
  it.each([
    ['{"a":1,"s":"x"', "expected ',' or '}'"],
    ['{"a":1,"s":"x"}}', "unexpected '}' after the object"],
    ['[1,2]', "expected a JSON object ('{')"],
    ['{"a":01}', 'leading zeros'],
    ['{"a":1,"s":"bad \\q"}', 'unknown escape \\q'],
    ['{"a":1,"s":"\\ud800"}', 'high surrogate'],
    ['{"a":1,"a":2}', 'key "a" appears twice'],
    ['{"a":tru}', 'expected true'],
    ['{"a":1,"s":"tab\there"}', 'control character'],
  ])('refuses %s on the line it is on', (line, why) => {
    // Lines 1-2 are fine; the bad one is line 4 (line 3 is blank), inside a declared-schema scan
    // and inside inference alike.
    const text = good + good + '\n' + line + '\n' + good;
    const schema = [
      { name: 'a', type: 'int64' as const, nullable: true },
      { name: 's', type: 'utf8' as const, nullable: true },
    ];
    for (const options of [{ schema }, {}]) {
      const err = failure(() => batchesOf(text, { objectName: 'events/e.jsonl', ...options }));
      expect(err).toBeInstanceOf(CorruptDataError);
      expect(err.message).toContain('events/e.jsonl line 4: ');
      expect(err.message).toContain(why);
    }
  });

  it('enforces declared types: integers, ranges, kinds, dates, nullability', () => {
    const cases: [string, string, string][] = [
      ['int64', '{"x":1.5}', 'column "x" is int64, but 1.5 is not an integer'],
      ['int64', '{"x":9223372036854775808}', 'out of its range'],
      ['int32', '{"x":2147483648}', 'out of its range'],
      ['bool', '{"x":"true"}', 'column "x" is bool, got a string'],
      ['float64', '{"x":[1]}', 'column "x" is float64, got an array'],
      ['date32', '{"x":"2021-13-01"}', 'is not a YYYY-MM-DD date'],
    ];
    for (const [type, line, why] of cases) {
      const err = failure(() =>
        batchesOf('{"x":null}\n' + line, { schema: [{ name: 'x', type, nullable: true }] as never }),
      );
      expect(err.message).toContain('t.jsonl line 2: ');
      expect(err.message).toContain(why);
    }
    const notNull = [{ name: 'x', type: 'int64' as const, nullable: false }];
    expect(failure(() => batchesOf('{"x":1}\n{"y":1}', { schema: notNull })).message).toContain(
      'line 2: key "x" is missing but the column is not nullable',
    );
  });

  it('uses a declared schema instead of inference: its order, its types, unknown keys skipped', () => {
    const text = '{"a":1,"b":2,"extra":{"x":1}}\n{"b":3.5,"a":4}\n';
    expect(schemaOf(text).map((f) => `${f.name}:${f.type}`)).toEqual(['a:int64', 'b:float64', 'extra:utf8']);
    const schema = [
      { name: 'b', type: 'float64' as const, nullable: true },
      { name: 'a', type: 'utf8' as const, nullable: false },
      { name: 'c', type: 'int32' as const, nullable: true },
    ];
    expect(schemaOf(text, { schema })).toEqual(schema);
    expect(rowsOf(text, { schema })).toEqual([
      { b: 2, a: '1', c: null },
      { b: 3.5, a: '4', c: null },
    ]);
  });

  it('samples only PUSHDOWN_SAMPLE_ROWS lines, then holds later lines to the inferred types', () => {
    const text = '{"x":1}\n{"x":2}\n{"x":2.5}\n';
    expect(schemaOf(text, { sampleRows: 2 })[0]!.type).toBe('int64');
    expect(failure(() => batchesOf(text, { sampleRows: 2 })).message).toContain(
      'line 3: column "x" is int64',
    );
    expect(schemaOf(text)[0]!.type).toBe('float64');
  });

  it('refuses bad declared schemas and plugins of another kind before running anything', () => {
    const dup = [
      { name: 'a', type: 'int64' as const, nullable: true },
      { name: 'a', type: 'utf8' as const, nullable: true },
    ];
    expect(failure(() => batchesOf(good, { schema: dup }))).toBeInstanceOf(InvalidArgumentError);
    const bad = [{ name: 'a', type: 'decimal', nullable: true }] as never;
    expect(failure(() => batchesOf(good, { schema: bad })).message).toContain('has type decimal');
    const { manifest } = jsonlPlugin();
    const udf = { manifest: { ...manifest, kind: 'scalar-udf' as const }, wasmPath: jsonlPlugin().wasmPath };
    expect(failure(() => formatReaderModule(udf))).toBeInstanceOf(PluginError);
    const tampered = { manifest: { ...manifest, sha256: '0'.repeat(64) }, wasmPath: jsonlPlugin().wasmPath };
    expect(failure(() => formatReaderModule(tampered)).message).toContain('sha256 does not match');
  });
});
