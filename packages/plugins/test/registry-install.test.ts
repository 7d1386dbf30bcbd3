// The registry index the build writes, and installing into / removing from a node's plugin folder.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlreadyExistsError, NotFoundError, PluginError } from '@pushdown/proto';
import {
  installPlugin,
  listInstalledPlugins,
  loadRegistry,
  pluginInstallDir,
  removePlugin,
  sha256Hex,
} from '@pushdown/plugins';

let dataDir: string;
beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'pushdown-registry-'))));
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('loadRegistry', () => {
  it('lists the example plugins and the built-in operators with their hashes', () => {
    const registry = loadRegistry();
    const names = registry.plugins.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['hash64', 'geo', 'text_match', 'filter', 'csv']));
    for (const p of registry.plugins) {
      expect(sha256Hex(readFileSync(p.wasmPath))).toBe(p.sha256);
      expect(JSON.parse(readFileSync(p.manifestPath, 'utf8')).sha256).toBe(p.sha256);
    }
    expect(registry.find('hash64')).toMatchObject({ kind: 'scalar-udf', builtin: false });
    expect(registry.find('filter')).toMatchObject({ kind: 'operator', builtin: true });
    expect(registry.find('nope')).toBeUndefined();
  });

  it('says how to build when the index is missing', () => {
    expect(() => loadRegistry(join(dataDir, 'registry', 'index.json'))).toThrow(NotFoundError);
  });
});

describe('installPlugin / removePlugin', () => {
  const geo = () => loadRegistry().find('geo')!;

  it('installs plain files under <data-dir>/plugins/<name>/, idempotently', async () => {
    const dest = pluginInstallDir(dataDir);
    const first = await installPlugin(geo().wasmPath, dest);
    expect(first.status).toBe('installed');
    expect(first.dir).toBe(join(dataDir, 'plugins', 'geo'));
    expect(sha256Hex(readFileSync(join(first.dir, 'geo.wasm')))).toBe(geo().sha256);
    expect((await installPlugin(geo().wasmPath, dest)).status).toBe('unchanged');
    expect((await listInstalledPlugins(dest)).map((p) => p.manifest.name)).toEqual(['geo']);
    // The installed folder is itself a valid plugin source.
    expect((await installPlugin(first.dir, join(dataDir, 'other'))).status).toBe('installed');
  });

  it('refuses a different module of the same name unless replace is given', async () => {
    const dest = pluginInstallDir(dataDir);
    await installPlugin(geo().wasmPath, dest);
    const src = join(dataDir, 'geo-v2');
    cpSync(join(dest, 'geo'), src, { recursive: true });
    const wasm = readFileSync(join(src, 'geo.wasm'));
    const bigger = Buffer.concat([wasm, Buffer.from([0, 4, 0x01, 0x78, 0x01, 0x02])]); // + a custom section
    writeFileSync(join(src, 'geo.wasm'), bigger);
    const manifest = JSON.parse(readFileSync(join(src, 'manifest.json'), 'utf8'));
    writeFileSync(
      join(src, 'manifest.json'),
      JSON.stringify({ ...manifest, version: '0.2.0', sha256: sha256Hex(bigger) }),
    );
    await expect(installPlugin(src, dest)).rejects.toThrow(AlreadyExistsError);
    const replaced = await installPlugin(src, dest, { replace: true });
    expect(replaced).toMatchObject({ status: 'replaced', manifest: { version: '0.2.0' } });
  });

  it('installs nothing when verification fails', async () => {
    const src = join(dataDir, 'bad');
    cpSync(geo().wasmPath, join(src, 'geo.wasm'), { recursive: true });
    const manifest = JSON.parse(readFileSync(geo().manifestPath, 'utf8'));
    writeFileSync(join(src, 'manifest.json'), JSON.stringify({ ...manifest, sha256: 'f'.repeat(64) }));
    await expect(installPlugin(src, pluginInstallDir(dataDir))).rejects.toThrow(PluginError);
    expect(existsSync(join(dataDir, 'plugins', 'geo'))).toBe(false);
  });

  it('removes an installed plugin and reports one that is not there', async () => {
    const dest = pluginInstallDir(dataDir);
    await installPlugin(geo().wasmPath, dest);
    expect((await removePlugin('geo', dest)).manifest.name).toBe('geo');
    expect(existsSync(join(dest, 'geo'))).toBe(false);
    await expect(removePlugin('geo', dest)).rejects.toThrow('plugin "geo" is not installed in');
    await expect(removePlugin('../etc', dest)).rejects.toThrow('"../etc" is not a plugin name');
  });
});
