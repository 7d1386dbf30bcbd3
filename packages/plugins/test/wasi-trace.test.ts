// Trace mode: every WASI call a guest makes is reported once, with its path decoded and its
// errno named, and the summary's counts are those of the calls; other imports are traced by
// traceImports.
import {
  formatHostCall,
  formatTraceSummary,
  summarizeHostCalls,
  traceImports,
  type HostCall,
} from '../src/index.js';
import { startGuest } from './wasi-guest.js';

const OBJECT = new TextEncoder().encode('{"a":1}\n'.repeat(30)); // 240 bytes

test('a guest reading a file yields one line per call and a summary that counts them', () => {
  const calls: HostCall[] = [];
  const g = startGuest({ readOnly: { '/data/object.jsonl': OBJECT }, trace: (c) => calls.push(c) });
  expect(g.call.countLines!(100)).toBe(30);
  expect(calls.map((c) => c.name)).toEqual([
    'path_open',
    'fd_read',
    'fd_read',
    'fd_read',
    'fd_read',
    'fd_close',
  ]);
  const lines = calls.map(formatHostCall);
  expect(lines[0]).toMatch(
    /^path_open\(fd=3, dirflags=0, "object\.jsonl", oflags=0, rights=0x200006, inheriting=0x0, fdflags=0, fd=0x[0-9a-f]+\) = 0 <\d+\.\d{3} ms> fd 5$/,
  );
  expect(calls.slice(1, 5).map((c) => c.detail)).toEqual(['100 bytes', '100 bytes', '40 bytes', '0 bytes']);
  const summary = summarizeHostCalls(calls);
  expect(summary.find((r) => r.name === 'fd_read')).toMatchObject({ calls: 4, errors: 0 });
  expect(summary.reduce((n, r) => n + r.calls, 0)).toBe(6);
  expect(formatTraceSummary(summary)).toMatch(/^\s+6\s+\d+\.\d{3}\s+0\s+total$/m);
});

test('failed calls show their errno by name and count as errors', () => {
  const calls: HostCall[] = [];
  const g = startGuest({ trace: (c) => calls.push(c) });
  const [p, l] = g.put('../escape');
  expect(g.call.open!(3, p, l, 0, 0n, 0, g.alloc(4))).toBe(76);
  expect(g.call.close!(42)).toBe(8);
  expect(formatHostCall(calls[0]!)).toMatch(/^path_open\(fd=3, .*"\.\.\/escape".*\) = 76 NOTCAPABLE </);
  expect(formatHostCall(calls[1]!)).toMatch(/^fd_close\(fd=42\) = 8 BADF </);
  expect(
    summarizeHostCalls(calls)
      .map((r) => [r.name, r.errors])
      .sort(),
  ).toEqual([
    ['fd_close', 1],
    ['path_open', 1],
  ]);
});

test('no trace option, no reports; the trace sees the guest-visible unsigned values', () => {
  const g = startGuest();
  expect(g.call.countLines!(100)).toBe(-44); // no /data/object.jsonl: -NOENT, nothing traced
  const calls: HostCall[] = [];
  const t = startGuest({ trace: (c) => calls.push(c) });
  t.call.close!(0xffffffff);
  expect(calls[0]!.args).toEqual([0xffffffff]); // wasm passed -1 as an i32
});

test('traceImports reports non-WASI imports, passing memories through and rethrowing throws', () => {
  const calls: HostCall[] = [];
  const memory = new WebAssembly.Memory({ initial: 1 });
  const wrapped = traceImports(
    {
      env: {
        memory,
        add: (a: number, b: number) => a + b,
        fail: () => {
          throw new Error('boom');
        },
      },
    },
    (c) => calls.push(c),
  );
  const env = wrapped.env!;
  expect(env.memory).toBe(memory);
  expect((env.add as (a: number, b: number) => number)(2, 3)).toBe(5);
  expect(() => (env.fail as () => void)()).toThrow('boom');
  expect(calls.map(formatHostCall).map((l) => l.replace(/<[^>]+>/, '<t>'))).toEqual([
    'env.add(2, 3) = 5 <t>',
    'env.fail() = ! boom <t>',
  ]);
  expect(summarizeHostCalls(calls).find((r) => r.name === 'env.fail')?.errors).toBe(1);
});
