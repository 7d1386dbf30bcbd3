// BaseNode.InstallPlugin / RemovePlugin over real gRPC: a good plugin appears in Capabilities at
// once (no restart); every refusal (hash mismatch, bad manifest, own memory, undeclared import,
// oversize, another module of the same name) has its status and reason and leaves the plugin
// folder exactly as it was: no half-written plugin, no upload or staging folder.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { loadRegistry, sha256Hex } from '@pushdown/plugins';
import { createBaseNodeClient, type BaseNodeClient, type InstallPluginRequest } from '@pushdown/proto';
import { startBaseNode, type BaseNodeHandle } from '../src/index.js';
import { assemble, type TinyModule } from '../../plugins/test/wasm-assemble.js';
import { makeTempDir, removeDir, unaryCall } from './helpers.js';

let dir: string;
let node: BaseNodeHandle;
let client: BaseNodeClient;

beforeAll(async () => {
  dir = await makeTempDir('plugins');
  node = await startBaseNode({ nodeId: 'p1', dataDir: dir });
  client = createBaseNodeClient(node.grpcAddress);
});

afterAll(async () => {
  client?.close();
  await node?.close();
  await removeDir(dir);
});

const pluginDir = () => join(dir, 'plugins');
const install = (req: InstallPluginRequest) => unaryCall(client.installPlugin.bind(client), req);
const remove = (name: string) => unaryCall(client.removePlugin.bind(client), { name });
const capabilities = () => unaryCall(client.capabilities.bind(client), {});

/** The shipped hash64 module under another name: a valid plugin the node does not have yet. */
async function hashCopy(name = 'hash64_copy') {
  const entry = loadRegistry().find('hash64')!;
  const wasm = new Uint8Array(await readFile(entry.wasmPath));
  const manifest = { ...JSON.parse(await readFile(entry.manifestPath, 'utf8')), name };
  return { manifestJson: JSON.stringify(manifest), wasm, sha256: manifest.sha256 as string };
}

/** A hand-assembled scalar UDF f(int32) -> int32 with `spec`'s defects, and a manifest that fits it. */
function tiny(spec: TinyModule, name = 'tiny') {
  const wasm = assemble({ functions: [{ name: 'f', params: 5 }], ...spec });
  const sha256 = sha256Hex(wasm);
  const manifest = {
    name,
    version: '0.0.1',
    abiVersion: 1,
    kind: 'scalar-udf',
    exports: [{ name: 'f', args: ['int32'], result: 'int32' }],
    runsOn: ['base'],
    limits: { memoryPages: 16, timeBudgetMs: 1000 },
    imports: ['env.memory'],
    sha256,
  };
  return { manifestJson: JSON.stringify(manifest), wasm, sha256 };
}

/** Everything under the plugin folder, hidden entries included. */
async function folderState(): Promise<string[]> {
  if (!existsSync(pluginDir())) return [];
  return (await readdir(pluginDir(), { recursive: true })).map(String).sort();
}

async function expectRefused(req: InstallPluginRequest, code: status, reason: RegExp) {
  const before = await folderState();
  const err = await install(req).then(
    () => undefined,
    (e: { code: number; details: string }) => e,
  );
  expect(err).toBeDefined();
  expect(err!.code).toBe(code);
  expect(err!.details).toMatch(reason);
  expect(await folderState()).toEqual(before);
}

describe('BaseNode.InstallPlugin', () => {
  it('installs a verified plugin atomically; Capabilities lists it without a restart', async () => {
    const up = await hashCopy();
    const res = await install(up);
    expect(res).toMatchObject({ status: 'installed', plugin: { name: 'hash64_copy', sha256: up.sha256 } });
    expect(await folderState()).toEqual([
      'hash64_copy',
      'hash64_copy/hash64_copy.wasm',
      'hash64_copy/manifest.json',
    ]);
    expect((await capabilities()).plugins).toContainEqual(
      expect.objectContaining({ name: 'hash64_copy', sha256: up.sha256 }),
    );
    expect((await install(up)).status).toBe('unchanged');
  });

  it('refuses a module whose bytes do not have the expected sha256, before writing anything', async () => {
    const up = await hashCopy('other');
    await expectRefused(
      { ...up, sha256: '0'.repeat(64) },
      status.INVALID_ARGUMENT,
      /sha256 is [0-9a-f]{64}, but the request expects 0{64}/,
    );
    const flipped = Uint8Array.from(up.wasm);
    flipped[flipped.length - 1]! ^= 1;
    await expectRefused({ ...up, wasm: flipped }, status.INVALID_ARGUMENT, /refused: the module's sha256 is/);
  });

  it('refuses a module with its own memory and one with an undeclared import, naming the reason', async () => {
    await expectRefused(
      tiny({ importMemory: false, defineMemory: true }),
      status.INVALID_ARGUMENT,
      /plugin "tiny" refused: it defines its own memory/,
    );
    await expectRefused(
      tiny({ importFunctions: ['env.exfiltrate'] }),
      status.INVALID_ARGUMENT,
      /it imports env\.exfiltrate \(function\), which manifest\.imports does not declare/,
    );
  });

  it('refuses bad manifests and oversize modules with INVALID_ARGUMENT', async () => {
    const up = await hashCopy('other');
    await expectRefused(
      { ...up, manifestJson: '{"name":' },
      status.INVALID_ARGUMENT,
      /manifest is not valid JSON/,
    );
    const noKind = JSON.stringify({ ...JSON.parse(up.manifestJson), kind: 'gadget' });
    await expectRefused(
      { ...up, manifestJson: noKind },
      status.INVALID_ARGUMENT,
      /invalid plugin manifest "other"/,
    );
    const huge = new Uint8Array(16 * 1024 * 1024 + 1);
    await expectRefused({ ...up, wasm: huge }, status.INVALID_ARGUMENT, /more than the limit of 16777216/);
  });

  it('refuses another module of an installed name with ALREADY_EXISTS unless replace is set', async () => {
    const other = tiny({}, 'hash64_copy');
    await expectRefused(other, status.ALREADY_EXISTS, /plugin "hash64_copy" 0\.1\.0 .* is already installed/);
    const res = await install({ ...other, replace: true });
    expect(res.status).toBe('replaced');
    expect((await capabilities()).plugins).toContainEqual(
      expect.objectContaining({ name: 'hash64_copy', sha256: other.sha256 }),
    );
  });

  it('removes an installed plugin, and says NOT_FOUND for one that is not installed', async () => {
    expect((await remove('hash64_copy')).plugin?.name).toBe('hash64_copy');
    expect((await capabilities()).plugins.map((p) => p.name)).not.toContain('hash64_copy');
    const err = await remove('hash64_copy').catch((e: { code: number; details: string }) => e);
    expect(err).toMatchObject({ code: status.NOT_FOUND });
    expect(await folderState()).toEqual([]);
  });

  it('refuses to remove a shipped plugin with INVALID_ARGUMENT, and keeps serving it', async () => {
    const err = await remove('hash64').catch((e: { code: number; details: string }) => e);
    expect(err).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringContaining('plugin "hash64" is shipped with the build of base node p1'),
    });
    expect((await capabilities()).plugins.map((p) => p.name)).toContain('hash64');
  });
});
