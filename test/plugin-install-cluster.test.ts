/**
 * Installing plugins on a running topology (real processes, real gRPC): Intermediary.InstallPlugin
 * stores a freshly built plugin and installs it on the listed nodes by content hash; SQL can call
 * it at once (no restart); a query whose fragment lands on a node without it gets it installed
 * there by hash first, and says so in the fragment's placement reason; ListPlugins shows who has
 * what. Refusals (wrong hash, unknown node, another module of that name) leave nothing behind.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { generateTable } from '@pushdown/cli';
import { loadRegistry } from '@pushdown/plugins';
import {
  createIntermediaryClient,
  type ClusterInstallPluginRequest,
  type ClusterInstallPluginResponse__Output,
  type IntermediaryClient,
  type ListPluginsResponse__Output,
} from '@pushdown/proto';
import { serversBuilt, startCluster, type Cluster } from './support/cluster.js';
import { buildScaffoldedPlugin } from './support/scaffolded-plugin.js';

const describeIfBuilt = serversBuilt() ? describe : describe.skip;
const FN = 'has_furious';

describeIfBuilt('plugins installed on a running topology', () => {
  let dir: string;
  let cluster: Cluster;
  let im: IntermediaryClient;
  let upload: { manifestJson: string; wasm: Uint8Array; sha256: string };
  let expected: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pushdown-plugin-install-'));
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
    const { table } = await cluster.client.queryTable('SELECT l_comment FROM lineitem', {
      placement: 'no-pushdown',
    });
    const comments = table.getChild('l_comment')!.toArray() as string[];
    expected = comments.filter((c) => c.toLowerCase().includes('furious')).length;
  }, 120_000);

  afterAll(async () => {
    im?.close();
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const install = (req: ClusterInstallPluginRequest) =>
    new Promise<ClusterInstallPluginResponse__Output>((resolve, reject) =>
      im.installPlugin(req, (err, res) => (err ? reject(err) : resolve(res!))),
    );
  const list = () =>
    new Promise<ListPluginsResponse__Output>((resolve, reject) =>
      im.listPlugins({}, (err, res) => (err ? reject(err) : resolve(res!))),
    );
  const imPluginDir = () => join(cluster.dir, 'intermediary', 'plugins');
  const mine = async () => (await list()).plugins.find((p) => p.name === FN);

  test('refusals: unknown node, wrong hash; nothing is stored', async () => {
    await expect(install({ ...upload, nodeIds: ['b9'] })).rejects.toMatchObject({
      code: status.NOT_FOUND,
      details: expect.stringContaining('no base node "b9"'),
    });
    await expect(install({ ...upload, sha256: 'f'.repeat(64) })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringContaining('but the request expects ffff'),
    });
    expect(existsSync(imPluginDir()) ? await readdir(imPluginDir()) : []).toEqual([]);
    expect(await mine()).toBeUndefined();
  });

  test('installs on the listed node by hash and lists who has it', async () => {
    const res = await install({ ...upload, nodeIds: ['b1'] });
    expect(res.status).toBe('installed');
    expect(res.nodes).toEqual([{ nodeId: 'b1', status: 'installed', error: '' }]);
    expect(await mine()).toMatchObject({ sha256: upload.sha256, origin: 'installed', nodeIds: ['b1'] });
  });

  test('SQL calls it without a restart; a node without it gets it by hash before the pushdown', async () => {
    const sql = `SELECT count(*) AS n FROM lineitem WHERE ${FN}(l_comment)`;
    const { table, stats } = await cluster.client.queryTable(sql, { placement: 'auto' });
    expect(Number(table.get(0)!.toJSON().n)).toBe(expected);
    expect(expected).toBeGreaterThan(0);
    const onB2 = stats.fragments.filter((f) => f.nodeId === 'b2');
    expect(onB2.length).toBeGreaterThan(0);
    for (const f of onB2) {
      expect(f.placement).toBe('PLACEMENT_PUSHDOWN');
      expect(f.reason).toMatch(
        new RegExp(`installed plugin "${FN}" \\(sha256 ${upload.sha256.slice(0, 12)}…\\) on b2 by hash`),
      );
    }
    expect((await mine())?.nodeIds.sort()).toEqual(['b1', 'b2']);
    // Both placements agree once every node has it.
    const pulled = await cluster.client.queryTable(sql, { placement: 'no-pushdown' });
    expect(Number(pulled.table.get(0)!.toJSON().n)).toBe(expected);
  });

  test('another module under the same name is ALREADY_EXISTS without replace', async () => {
    // Same bytes under another version: same hash, so nothing changes anywhere.
    const again = {
      ...upload,
      manifestJson: JSON.stringify({ ...JSON.parse(upload.manifestJson), version: '0.2.0' }),
    };
    expect((await install(again)).status).toBe('unchanged');
    // The shipped hash64 module published under our name: valid, but another module.
    const hash64 = loadRegistry().find('hash64')!;
    const impostor = {
      manifestJson: JSON.stringify({ ...JSON.parse(await readFile(hash64.manifestPath, 'utf8')), name: FN }),
      wasm: new Uint8Array(await readFile(hash64.wasmPath)),
      sha256: hash64.sha256,
    };
    await expect(install(impostor)).rejects.toMatchObject({
      code: status.ALREADY_EXISTS,
      details: expect.stringContaining(`plugin "${FN}" 0.1.0`),
    });
    expect((await readdir(imPluginDir())).sort()).toEqual([FN]);
    expect((await mine())?.sha256).toBe(upload.sha256);
  });
});
