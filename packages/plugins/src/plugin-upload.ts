/**
 * A plugin that arrives as bytes (over gRPC, from another process) rather than as files: its
 * published manifest as JSON, the module, and the SHA-256 the sender expects. Admission runs in
 * memory and in this order: sizes, manifest, hash (before the bytes are parsed), module layout
 * (`moduleProblems`: imports, own memory, ABI signatures), then compilation; only then is
 * anything written, through `installPlugin`'s staging folder and rename, so a refused or failed
 * upload leaves nothing behind.
 *
 * @example
 * const r = await installPluginUpload({ manifestJson, wasm, sha256 }, pluginInstallDir(dataDir));
 * refreshPluginLibrary();
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, PluginError } from '@pushdown/proto';
import type { PluginManifest } from './manifest-types.js';
import { validateManifest } from './manifest-validate.js';
import { moduleProblems, sha256Hex } from './plugin-verify.js';
import { installPlugin, type InstallResult } from './registry.js';
import { readWasmModuleInfo } from './wasm-binary.js';

/**
 * Largest module an upload may carry. Plugins are kernels of kilobytes; 16 MiB leaves room for a
 * big format reader and stays well under the gRPC message limit (MAX_MESSAGE_BYTES, 64 MiB), so
 * an oversize module gets this clear refusal rather than a transport error.
 */
export const MAX_PLUGIN_MODULE_BYTES = 16 * 1024 * 1024;
/** Largest manifest JSON an upload may carry. */
export const MAX_PLUGIN_MANIFEST_BYTES = 256 * 1024;

export interface PluginUpload {
  /** The published manifest (sha256 filled in), as JSON text. */
  readonly manifestJson: string;
  readonly wasm: Uint8Array;
  /** Hex SHA-256 the sender expects the module to have. */
  readonly sha256: string;
}

export interface VerifiedUpload {
  readonly manifest: PluginManifest;
  readonly module: WebAssembly.Module;
}

/** Checks an upload without writing anything; throws InvalidArgumentError or PluginError (both INVALID_ARGUMENT). */
export function verifyPluginUpload(upload: PluginUpload): VerifiedUpload {
  const { manifestJson, wasm, sha256 } = upload;
  if (wasm.byteLength === 0) throw new InvalidArgumentError('the plugin upload has no module bytes');
  if (wasm.byteLength > MAX_PLUGIN_MODULE_BYTES) {
    throw new InvalidArgumentError(
      `the plugin module is ${wasm.byteLength} bytes, more than the limit of ${MAX_PLUGIN_MODULE_BYTES}`,
    );
  }
  if (Buffer.byteLength(manifestJson, 'utf8') > MAX_PLUGIN_MANIFEST_BYTES) {
    throw new InvalidArgumentError(`the plugin manifest is larger than ${MAX_PLUGIN_MANIFEST_BYTES} bytes`);
  }
  if (!/^[0-9a-f]{64}$/.test(sha256)) {
    throw new InvalidArgumentError(`the expected sha256 must be 64 lower-case hex digits, got "${sha256}"`);
  }
  let json: unknown;
  try {
    json = JSON.parse(manifestJson);
  } catch (err) {
    throw new InvalidArgumentError(`the plugin manifest is not valid JSON: ${(err as Error).message}`);
  }
  const manifest = validateManifest(json);
  const actual = sha256Hex(wasm);
  if (actual !== sha256 || manifest.sha256 !== sha256) {
    throw new PluginError(
      `plugin "${manifest.name}" refused: the module's sha256 is ${actual}, but ` +
        (actual !== sha256 ? `the request expects ${sha256}` : `its manifest says ${manifest.sha256}`),
      { hint: 'send the module the manifest was published for (pushdown plugins build writes both)' },
    );
  }
  const reasons = moduleProblems(manifest, readWasmModuleInfo(wasm, `plugin "${manifest.name}"`));
  if (reasons.length > 0) throw new PluginError(`plugin "${manifest.name}" refused: ${reasons.join('; ')}`);
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(wasm);
  } catch (err) {
    throw new PluginError(`plugin "${manifest.name}" does not compile: ${(err as Error).message}`);
  }
  return { manifest, module };
}

/**
 * Verifies `upload` and installs it into `destDir/<name>/` (see `installPlugin` for `replace`
 * and the ALREADY_EXISTS refusal). The bytes go to a hidden upload folder only after every check
 * passed, and that folder is removed whatever happens.
 */
export async function installPluginUpload(
  upload: PluginUpload,
  destDir: string,
  options: { replace?: boolean } = {},
): Promise<InstallResult> {
  const { manifest } = verifyPluginUpload(upload);
  await mkdir(destDir, { recursive: true });
  // Dot-prefixed: plugin listings skip it, so it is never mistaken for an installed plugin.
  const upDir = join(destDir, `.upload-${manifest.name}-${process.pid}-${Date.now()}-${uploadSeq++}`);
  await mkdir(upDir);
  try {
    const manifestPath = join(upDir, 'manifest.json');
    const wasmPath = join(upDir, `${manifest.name}.wasm`);
    await writeFile(manifestPath, upload.manifestJson);
    await writeFile(wasmPath, upload.wasm);
    return await installPlugin({ manifestPath, wasmPath }, destDir, options);
  } finally {
    await rm(upDir, { recursive: true, force: true });
  }
}

let uploadSeq = 0;
