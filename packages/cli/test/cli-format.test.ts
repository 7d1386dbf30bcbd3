import { tableFromArrays } from 'apache-arrow';
import { decimalText, formatArrowTable, numberText } from '../src/format/arrow-cells.js';
import { formatBoxTable } from '../src/format/box-table.js';
import { formatBytes } from '../src/format/units.js';
import { compareAnswers } from '../src/demo/answers.js';
import { describeError, ExitCode, formatErrorLine } from '../src/client/errors.js';
import { fromServiceError, InvalidArgumentError, NotFoundError } from '@pushdown/proto';
import { Metadata, status } from '@grpc/grpc-js';

describe('box table formatter', () => {
  it('aligns numbers right and text left, with names and types centred', () => {
    const text = formatBoxTable(
      [
        { name: 'flag', type: 'utf8', align: 'left' },
        { name: 'n', type: 'int64', align: 'right' },
      ],
      [
        ['A', '7'],
        ['NO', '1234'],
      ],
    );
    expect(text.split('\n')).toEqual([
      '┌──────┬───────┐',
      '│ flag │   n   │',
      '│ utf8 │ int64 │',
      '├──────┼───────┤',
      '│ A    │     7 │',
      '│ NO   │  1234 │',
      '└──────┴───────┘',
    ]);
  });

  it('elides the middle of long results', () => {
    const rows = Array.from({ length: 100 }, (_, i) => [String(i)]);
    const lines = formatBoxTable([{ name: 'i', align: 'right' }], rows, { maxRows: 4 }).split('\n');
    expect(lines.filter((l) => l.includes('·'))).toHaveLength(1);
    expect(lines.join('\n')).toContain(' 99 ');
    expect(lines.join('\n')).not.toContain(' 50 ');
  });

  it('formats an Arrow table: shortest floats, dates, bigints, nulls', () => {
    const table = tableFromArrays({
      x: Float64Array.from([0.1 + 0.2, 100, 1e21]),
      k: BigInt64Array.from([1n, 2n, 3n]),
      s: ['a', 'b', null as unknown as string],
    });
    const text = formatArrowTable(table);
    expect(text).toContain('0.30000000000000004');
    expect(text).toContain(' 100 │');
    expect(text).toContain('1e+21');
    expect(text).toContain('NULL');
    expect(text).toContain('float64');
    expect(text).toContain('int64');
  });

  it('formats decimals, special floats and byte sizes', () => {
    expect(decimalText('1234', 2)).toBe('12.34');
    expect(decimalText('-5', 2)).toBe('-0.05');
    expect(numberText(Number.NaN)).toBe('nan');
    expect(numberText(-Infinity)).toBe('-inf');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
  });
});

describe('answer comparison', () => {
  it('tells identical, float-tolerant and different answers apart', () => {
    const a = tableFromArrays({ v: Float64Array.from([1, 2]) });
    expect(compareAnswers(a, tableFromArrays({ v: Float64Array.from([1, 2]) })).match).toBe('identical');
    expect(compareAnswers(a, tableFromArrays({ v: Float64Array.from([1, 2 + 1e-13]) })).match).toBe(
      'equal within 1e-9',
    );
    const diff = compareAnswers(a, tableFromArrays({ v: Float64Array.from([1, 3]) }));
    expect(diff.match).toBe('DIFFERENT');
    expect(diff.detail).toContain('row 1');
  });
});

describe('error lines and exit codes', () => {
  const serviceError = (code: status, details: string) =>
    Object.assign(new Error(details), { code, details, metadata: new Metadata() });

  it.each([
    [fromServiceError(serviceError(status.INVALID_ARGUMENT, 'bad sql')), 'INVALID_ARGUMENT', ExitCode.USAGE],
    [fromServiceError(serviceError(status.UNAVAILABLE, 'down')), 'UNAVAILABLE', ExitCode.UNAVAILABLE],
    [new NotFoundError('no table x'), 'NOT_FOUND', ExitCode.NOT_FOUND],
    [new InvalidArgumentError('bad flag'), 'INVALID_ARGUMENT', ExitCode.USAGE],
    [new Error('a bug'), 'INTERNAL', ExitCode.FAILURE],
  ])('%p → %s', (err, name, exit) => {
    expect(describeError(err).statusName).toBe(name);
    expect(describeError(err).exitCode).toBe(exit);
    expect(formatErrorLine(err)).toMatch(new RegExp(`^error: .+ \\(${name}\\)$`));
  });
});
