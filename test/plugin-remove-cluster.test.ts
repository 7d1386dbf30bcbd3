/**
 * Removing a plugin from a running topology (real processes, real gRPC): Intermediary.RemovePlugin
 * deletes the intermediary's copy (SQL stops binding the function at once), then each base
 * node's; ListPlugins no longer lists it and no folder keeps its files. Refusals (a shipped
 * plugin, an unknown node) change nothing; a plugin nobody has is "absent" everywhere; a node
 * that is down is "failed" with the reason while the others proceed. `pushdown plugins remove`
 * runs in process against the same topology, with --addr, and prints one line per node.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { generateTable } from '@pushdown/cli';
import {
  createIntermediaryClient,
  type ClusterInstallPluginResponse__Output,
  type ClusterRemovePluginRequest,
  type ClusterRemovePluginResponse__Output,
  type IntermediaryClient,
  type ListPluginsResponse__Output,
} from '@pushdown/proto';
import { runCliCaptured } from '../packages/cli/test/run-cli-captured.js';
import { serversBuilt, startCluster, type Cluster } from './support/cluster.js';
import { buildScaffoldedPlugin } from './support/scaffolded-plugin.js';
import { grpcFailure } from './support/errors.js';

const describeIfBuilt = serversBuilt() ? describe : describe.skip;
// One edit away from the shipped hash64_utf8, so once it is gone the binder has a "did you mean".
const FN = 'hash64_utf9';
const SQL = `SELECT count(*) AS n FROM lineitem WHERE ${FN}(l_comment)`;

describeIfBuilt('plugins removed from a running topology', () => {
  let dir: string;
  let cluster: Cluster;
  let im: IntermediaryClient;
  let upload: { manifestJson: string; wasm: Uint8Array; sha256: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pushdown-plugin-remove-'));
    upload = await buildScaffoldedPlugin(FN, dir, 'furious');
    const gen = await generateTable({
      table: 'lineitem',
      sf: 0.01,
      formats: ['parquet'],
      parts: 2,
      outDir: dir,
    });
    cluster = await startCluster(2);
    await cluster.load(
      'lineitem',
      gen.files.map((f) => f.path),
    );
    im = createIntermediaryClient(cluster.topology.state.intermediary);
  }, 120_000);

  afterAll(async () => {
    im?.close();
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const install = () =>
    new Promise<ClusterInstallPluginResponse__Output>((resolve, reject) =>
      im.installPlugin({ ...upload, nodeIds: [] }, (err, res) => (err ? reject(err) : resolve(res!))),
    );
  const remove = (req: ClusterRemovePluginRequest) =>
    new Promise<ClusterRemovePluginResponse__Output>((resolve, reject) =>
      im.removePlugin(req, (err, res) => (err ? reject(err) : resolve(res!))),
    );
  const list = () =>
    new Promise<ListPluginsResponse__Output>((resolve, reject) =>
      im.listPlugins({}, (err, res) => (err ? reject(err) : resolve(res!))),
    );
  const listed = async (name: string) => (await list()).plugins.find((p) => p.name === name);
  // Where each process keeps its installed copy (launcher: intermediary/plugins, nodes/<id>/plugins).
  const folders = () => ({
    intermediary: join(cluster.dir, 'intermediary', 'plugins', FN),
    b1: join(cluster.dir, 'nodes', 'b1', 'plugins', FN),
    b2: join(cluster.dir, 'nodes', 'b2', 'plugins', FN),
  });
  const present = () => Object.values(folders()).map((f) => existsSync(join(f, `${FN}.wasm`)));
  const count = async () =>
    Number((await cluster.client.queryTable(SQL, { placement: 'pushdown' })).table.get(0)!.toJSON().n);

  test('a shipped plugin is refused with INVALID_ARGUMENT and stays everywhere', async () => {
    await expect(remove({ name: 'hash64' })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringContaining('plugin "hash64" is shipped with the build and cannot be removed'),
    });
    expect((await listed('hash64'))?.nodeIds.sort()).toEqual(['b1', 'b2']);
  });

  test('a plugin no one has is "absent" at the intermediary and on every node', async () => {
    const res = await remove({ name: FN });
    expect(res.status).toBe('absent');
    expect(res.plugin).toMatchObject({ name: FN, sha256: '' });
    expect(res.nodes).toEqual([
      { nodeId: 'b1', status: 'absent', error: '' },
      { nodeId: 'b2', status: 'absent', error: '' },
    ]);
  });

  test('an unknown node is NOT_FOUND before anything changes', async () => {
    expect((await install()).nodes.map((n) => n.status)).toEqual(['installed', 'installed']);
    const before = await count();
    expect(before).toBeGreaterThan(0);
    await expect(remove({ name: FN, nodeIds: ['b1', 'b9'] })).rejects.toMatchObject({
      code: status.NOT_FOUND,
      details: expect.stringContaining('no base node "b9"'),
    });
    expect(present()).toEqual([true, true, true]);
    expect((await listed(FN))?.nodeIds.sort()).toEqual(['b1', 'b2']);
    expect(await count()).toBe(before);
  });

  test('removes it everywhere: not listed, no files, and SQL no longer binds it', async () => {
    const res = await remove({ name: FN });
    expect(res.status).toBe('removed');
    expect(res.plugin).toMatchObject({ name: FN, version: '0.1.0', sha256: upload.sha256 });
    expect(res.nodes).toEqual([
      { nodeId: 'b1', status: 'removed', error: '' },
      { nodeId: 'b2', status: 'removed', error: '' },
    ]);
    expect(await listed(FN)).toBeUndefined();
    expect(present()).toEqual([false, false, false]);
    const failure = await grpcFailure(cluster.client.queryTable(SQL));
    expect(failure.status).toBe('INVALID_ARGUMENT');
    expect(failure.message).toContain(`function ${FN}() is not supported`);
    expect(failure.message).toContain('did you mean hash64_utf8()?');
    // Removing it again is harmless: absent everywhere.
    expect((await remove({ name: FN })).nodes.map((n) => n.status)).toEqual(['absent', 'absent']);
  });

  test('the CLI removes from the listed node; a node that is down is "failed", the others proceed', async () => {
    await install();
    const addr = cluster.topology.state.intermediary;
    const one = await cli('plugins', 'remove', FN, '--addr', addr, '--node', 'b1');
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(
      new RegExp(
        `^removed: ${FN} 0\\.1\\.0 \\(sha256 ${upload.sha256.slice(0, 12)}…\\) from the intermediary`,
      ),
    );
    expect(one.stdout).toContain('\n  b1: removed\nSQL no longer binds');
    expect(present()).toEqual([false, false, true]); // b2 was not asked
    // The node's own files stay with a dead node; the call says so instead of hanging or throwing.
    const b2 = cluster.topology.state.processes.find((p) => p.id === 'b2')!;
    process.kill(b2.pid, 'SIGKILL');
    const res = await remove({ name: FN });
    expect(res.status).toBe('absent');
    expect(res.nodes[0]).toEqual({ nodeId: 'b1', status: 'absent', error: '' });
    expect(res.nodes[1]).toMatchObject({ nodeId: 'b2', status: 'failed' });
    expect(res.nodes[1]!.error).toContain(`could not remove plugin "${FN}" from base node b2`);
    const all = await cli('plugins', 'remove', FN, '--addr', addr);
    expect(all.code).not.toBe(0);
    expect(all.stdout).toContain(`absent: ${FN} was not installed on the intermediary`);
    expect(all.stdout).toContain('  b1: absent (not installed there)\n  b2: FAILED: could not remove plugin');
    expect(all.stderr).toContain(`plugin ${FN} is still installed on b2`);
  });
});

/** `pushdown ...` in this process, with captured output (as packages/cli/test/plugins-cli.test.ts). */
function cli(...argv: string[]) {
  return runCliCaptured(argv, tmpdir());
}
