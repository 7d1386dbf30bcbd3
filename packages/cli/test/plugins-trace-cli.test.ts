// `pushdown plugins trace` in process: the example JSON Lines format reader traced over a small
// object (its WASI calls, one line each, and a summary whose counts match the lines), a scalar UDF
// on a generated batch, --json, --help, and the errors a user gets for a missing --object.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from './run-cli-captured.js';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'pushdown-trace-cli-'));
  writeFileSync(join(cwd, 'events.jsonl'), '{"id":1,"name":"a"}\n{"id":2,"name":"b"}\n{"id":3,"name":"c"}\n');
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

async function run(...argv: string[]) {
  return runCliCaptured(['plugins', 'trace', ...argv], cwd);
}

describe('pushdown plugins trace', () => {
  test('traces the jsonl format reader: the object opened by name, read, closed, and a summary', async () => {
    const r = await run('jsonl', '--object', 'events.jsonl');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^path_open\(fd=3, .*"events\.jsonl".*\) = 0 <\d+\.\d{3} ms> fd \d+$/m);
    expect(r.stdout).toMatch(/^fd_read\(fd=\d+, .*\) = 0 <\d+\.\d{3} ms> 60 bytes$/m);
    expect(r.stdout).toMatch(/^fd_close\(fd=\d+\) = 0 /m);
    expect(r.stdout).toContain('jsonl (format-reader): 1 batch, 3 rows from events.jsonl');
    // The summary counts agree with the lines printed above it.
    const lines = r.stdout.split('\n');
    const reads = lines.filter((l) => l.startsWith('fd_read(')).length;
    expect(reads).toBeGreaterThanOrEqual(2); // the data, then 0 bytes at the end
    expect(r.stdout).toMatch(
      new RegExp(`^\\s+${reads}\\s+\\d+\\.\\d{3}\\s+\\d+\\.\\d\\s+0\\s+fd_read$`, 'm'),
    );
    const total = lines.filter((l) => /^[a-z_]+\(.*\) = /.test(l)).length;
    expect(r.stdout).toMatch(new RegExp(`^\\s+${total}\\s+\\d+\\.\\d{3}\\s+\\d+\\s+total$`, 'm'));
  });

  test('--json gives the calls and the summary as data', async () => {
    const r = await run('jsonl', '--object', 'events.jsonl', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      kind: string;
      calls: { name: string; detail?: string }[];
      summary: { name: string; calls: number }[];
    };
    expect(out.kind).toBe('format-reader');
    expect(out.calls.find((c) => c.name === 'path_open')).toBeDefined();
    const opens = out.calls.filter((c) => c.name === 'path_open').length;
    expect(out.summary.find((s) => s.name === 'path_open')?.calls).toBe(opens);
  });

  test('a scalar UDF is called on a generated batch of --rows rows', async () => {
    const r = await run('hash64', '--rows', '50', '--summary');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('hash64 (scalar-udf): 2 functions called on 50 generated rows');
    expect(r.stdout).toMatch(/^\s+1\s+\S+\s+\S+\s+0\s+export\.hash64_utf8$/m);
    expect(r.stdout).not.toMatch(/^hash64_utf8\(/m); // --summary: no per-call lines
  });

  test('a format reader without --object says what to add', async () => {
    const r = await run('jsonl');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('give the object to read with --object FILE');
  });

  test('--help explains the line format and has examples', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--object <file>');
    expect(r.stdout).toContain('$ pushdown plugins trace jsonl --object events.jsonl');
  });
});
