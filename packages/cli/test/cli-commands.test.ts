// Runs the built CLI as a subprocess: build first with `npx tsc -b` (or `npx tsc -p packages/cli`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '..', 'bin', 'pushdown.js');
const BUILT = existsSync(resolve(import.meta.dirname, '..', 'dist', 'main.js'));
if (!BUILT)
  console.warn('cli-commands tests skipped: packages/cli/dist/main.js is missing; run `npx tsc -b` first');
const describeBuilt = BUILT ? describe : describe.skip;

function cli(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PUSHDOWN_ADDR: '', ...env },
    cwd: cwd ?? tmpdir(),
    timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describeBuilt('pushdown CLI: help and argument validation', () => {
  it('lists every command in --help', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['start', 'stop', 'status', 'gen', 'put', 'ls', 'query', 'explain']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    }
  });

  it.each([
    [
      'start',
      ['--topology <file>', '--detach', '--data-dir <dir>', '--demo', '--port <port>', '$ pushdown start'],
    ],
    ['stop', ['--data-dir <dir>', '--timeout <ms>', '$ pushdown stop']],
    ['status', ['--data-dir <dir>', '--json', '$ pushdown status']],
    ['gen', ['--table <name>', '--sf <n>', '--format <list>', '--parts <n>', '$ pushdown gen']],
    [
      'put',
      [
        '<files...>',
        '--table <name>',
        '--node <id|host:port>',
        '--name <object>',
        '--format <fmt>',
        '--schema <json>',
        '--overwrite',
        '$ pushdown put',
      ],
    ],
    ['ls', ['[table]', '--addr <host:port>', '$ pushdown ls']],
    [
      'query',
      [
        '<sql>',
        '--placement <mode>',
        '"no-pushdown"',
        '--format <fmt>',
        '"arrow"',
        '--output <file>',
        '--stats',
        '--addr <host:port>',
        '$ pushdown query',
      ],
    ],
    ['explain', ['<sql>', '--placement <mode>', '$ pushdown explain']],
  ])('%s --help describes its options and gives an example', (command, needles) => {
    const r = cli([command, '--help']);
    expect(r.code).toBe(0);
    for (const n of needles) expect(r.stdout).toContain(n);
  });

  it.each([
    [['query'], "error: missing required argument 'sql'"],
    [
      ['query', 'SELECT 1', '--placement', 'sideways'],
      "argument 'sideways' is invalid. Allowed choices are auto, pushdown, no-pushdown",
    ],
    [
      ['query', 'SELECT 1', '--format', 'xml'],
      "argument 'xml' is invalid. Allowed choices are table, csv, json, arrow",
    ],
    [
      ['query', 'SELECT 1', '--addr', 'nohost'],
      'error: --addr: address must look like HOST:PORT (e.g. 127.0.0.1:50051); got "nohost" (INVALID_ARGUMENT)',
    ],
    [['query', '   '], 'error: the SQL text is empty (INVALID_ARGUMENT)'],
    [['put', 'f.parquet'], "error: required option '-t, --table <name>' not specified"],
    [['put', 'a.csv', 'b.csv', '--table', 't', '--name', 'x'], 'error: --name needs exactly one FILE'],
    [['put', 'a.csv', '--table', 't', '--schema', '{'], 'error: --schema is not valid JSON'],
    [
      ['start', '--port', '99999'],
      "error: option '--port <port>' argument '99999' is invalid. --port expects an integer in 0..65535",
    ],
    [
      ['stop', '--timeout', '-1'],
      "error: option '--timeout <ms>' argument '-1' is invalid. --timeout expects a positive integer.",
    ],
    [['gen', '--sf', '0'], 'error: sf must be a number > 0'],
    [['frobnicate'], "error: unknown command 'frobnicate'"],
  ])('%j fails with a clear message', (args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('reports an unreachable intermediary as UNAVAILABLE with exit code 4', () => {
    const r = cli(['query', 'SELECT 1', '--addr', '127.0.0.1:1']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^error: cannot reach the intermediary at 127\.0\.0\.1:1 .*\(UNAVAILABLE\)$/m);
  });

  it('uses PUSHDOWN_ADDR when --addr is absent', () => {
    const r = cli(['ls'], { PUSHDOWN_ADDR: '127.0.0.1:2' });
    expect(r.stderr).toContain('127.0.0.1:2');
  });

  describe('with a data dir', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pushdown-cli-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('status and stop say nothing runs', () => {
      const s = cli(['status', '--data-dir', dir]);
      expect(s.code).toBe(3);
      expect(s.stdout).toContain(`no topology running from ${dir}`);
      const t = cli(['stop', '--data-dir', dir]);
      expect(t.code).toBe(0);
      expect(t.stdout).toContain('nothing to stop');
    });

    it('status cleans a stale state file', () => {
      writeFileSync(
        join(dir, 'state.json'),
        JSON.stringify({
          version: 1,
          startedAt: new Date().toISOString(),
          dataDir: dir,
          launcherPid: 999999,
          detached: true,
          intermediary: '127.0.0.1:50051',
          processes: [{ id: 'b1', role: 'base-node', pid: 999999, grpc: '127.0.0.1:1', log: 'x' }],
        }),
      );
      const s = cli(['status', '--data-dir', dir]);
      expect(s.stderr).toContain('removed stale state file (pids 999999 are gone)');
      expect(s.code).toBe(3);
      expect(existsSync(join(dir, 'state.json'))).toBe(false);
    });

    it('start validates the topology file', () => {
      const file = join(dir, 'topo.json');
      writeFileSync(file, JSON.stringify({ baseNodes: [{ id: 'b1' }], intermediary: { prot: 1 } }));
      const r = cli(['start', '--topology', file, '--data-dir', dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `error: ${file}: unknown key "intermediary.prot"; did you mean "intermediary.port"? (INVALID_ARGUMENT)`,
      );
    });

    it('put without a running topology names the fix', () => {
      const r = cli(['put', join(dir, 'x.csv'), '--table', 't', '--data-dir', dir]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`error: no running topology in ${dir}`);
    });
  });
});
