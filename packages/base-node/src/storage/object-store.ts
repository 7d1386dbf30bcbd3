/**
 * The base node's object store: `<dataDir>/objects/<table>/<name>` plus a `<name>.meta.json`
 * sidecar, on local disk.
 *
 * A put streams into `<dataDir>/tmp/`, hashing as it goes, fsyncs, validates the bytes with the
 * engine's reader, checks the expected SHA-256, then renames the data and then the sidecar into
 * place and fsyncs the directory. The sidecar is the commit point: an object exists exactly when
 * its sidecar does. Any failure or cancel removes the temp files, so nothing partial is ever
 * visible or left behind.
 *
 * @example
 * const store = await ObjectStore.open({ dataDir: '/var/lib/pushdown/base-1' });
 * const meta = await store.put({ table: 'lineitem', name: 'part-0.parquet' }, createReadStream(file));
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Schema } from '@pushdown/engine';
import { AlreadyExistsError, CancelledError, InvalidArgumentError, NotFoundError } from '@pushdown/proto';
import { inspectObject } from './inspect-object.js';
import { KeyedLock } from './keyed-lock.js';
import { resolveFormat, SIDECAR_SUFFIX, validateName } from './names.js';
import { fsyncDir, isNotFound, listDir, writeDurably } from './fs-durable.js';
import { decodeMeta, encodeMeta, type ObjectMeta } from './object-meta.js';
import { tooLarge, writeTempFile } from './temp-writer.js';
import { openFileBlob } from '@pushdown/engine';

export const DEFAULT_MAX_OBJECT_BYTES = 4 * 1024 ** 3;

export interface ObjectStoreOptions {
  readonly dataDir: string;
  /** Largest object a put accepts (default 4 GiB). */
  readonly maxObjectBytes?: number;
}

export interface PutObjectInput {
  readonly table: string;
  readonly name: string;
  /** 'parquet' | 'csv'; empty or absent: from the name's extension. */
  readonly format?: string;
  /** Declared schema (CSV); null or absent: the reader infers it. */
  readonly schema?: Schema | null;
  /** Expected SHA-256 in hex; a mismatch fails the put. */
  readonly sha256?: string;
  readonly overwrite?: boolean;
  /** Total size if known (0 = unknown): an oversize object is refused before any byte is read. */
  readonly size?: number;
}

export interface PutOptions {
  readonly signal?: AbortSignal;
}

/** An object opened for reading: the handle pins the bytes even if the object is replaced. */
export interface OpenedObject {
  readonly meta: ObjectMeta;
  readonly file: FileHandle;
  readonly size: number;
}

export class ObjectStore {
  readonly dataDir: string;
  readonly maxObjectBytes: number;
  readonly #objectsDir: string;
  readonly #tmpDir: string;
  readonly #lock = new KeyedLock();

  private constructor(dataDir: string, maxObjectBytes: number) {
    this.dataDir = dataDir;
    this.maxObjectBytes = maxObjectBytes;
    this.#objectsDir = join(dataDir, 'objects');
    this.#tmpDir = join(dataDir, 'tmp');
  }

  /** Creates the folders, removes leftovers of puts a crash interrupted, and opens the store. */
  static async open(options: ObjectStoreOptions): Promise<ObjectStore> {
    const store = new ObjectStore(options.dataDir, options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES);
    await mkdir(store.#objectsDir, { recursive: true });
    await rm(store.#tmpDir, { recursive: true, force: true });
    await mkdir(store.#tmpDir, { recursive: true });
    await store.#removeOrphans();
    return store;
  }

  /** Path of an object's bytes (names validated; the object need not exist). */
  objectPath(table: string, name: string): string {
    return join(this.#objectsDir, validateName('table', table), validateName('object', name));
  }

  async put(
    input: PutObjectInput,
    body: AsyncIterable<Uint8Array>,
    options: PutOptions = {},
  ): Promise<ObjectMeta> {
    const table = validateName('table', input.table);
    const name = validateName('object', input.name);
    const label = `${table}/${name}`;
    const format = resolveFormat(input.format, name);
    const expected = checkSha256(input.sha256);
    if (input.size !== undefined && input.size > this.maxObjectBytes)
      throw tooLarge(label, this.maxObjectBytes);
    if (!input.overwrite && (await this.#exists(table, name))) throw alreadyExists(label);

    const id = randomUUID();
    const tmpData = join(this.#tmpDir, `${id}.part`);
    const tmpMeta = join(this.#tmpDir, `${id}.meta.part`);
    try {
      const { size, sha256 } = await writeTempFile(tmpData, body, {
        maxBytes: this.maxObjectBytes,
        label,
        signal: options.signal,
      });
      if (input.size !== undefined && input.size > 0 && input.size !== size) {
        throw new InvalidArgumentError(
          `object ${label}: the header announced ${input.size} bytes but ${size} arrived`,
        );
      }
      if (expected !== null && expected !== sha256) {
        throw new InvalidArgumentError(
          `object ${label}: SHA-256 mismatch, expected ${expected} but the bytes hash to ${sha256}`,
          {
            hint: 'the upload was altered or truncated; send it again',
          },
        );
      }
      const { schema, numRows } = await inspectObject(
        tmpData,
        format,
        input.schema ?? null,
        label,
        options.signal,
      );
      if (options.signal?.aborted) throw new CancelledError(`put of ${label} was cancelled`);
      return await this.#lock.run(label, async () => {
        if (!input.overwrite && (await this.#exists(table, name))) throw alreadyExists(label);
        const meta: ObjectMeta = {
          table,
          name,
          size,
          sha256,
          format,
          modifiedMs: Date.now(),
          schema,
          numRows,
        };
        const dir = join(this.#objectsDir, table);
        await mkdir(dir, { recursive: true });
        await writeDurably(tmpMeta, encodeMeta(meta));
        await rename(tmpData, join(dir, name));
        await rename(tmpMeta, join(dir, name + SIDECAR_SUFFIX));
        await fsyncDir(dir);
        return meta;
      });
    } finally {
      // After a successful commit these are gone already; after a failure, nothing stays behind.
      await rm(tmpData, { force: true });
      await rm(tmpMeta, { force: true });
    }
  }

  async stat(table: string, name: string): Promise<ObjectMeta> {
    validateName('table', table);
    validateName('object', name);
    const path = join(this.#objectsDir, table, name + SIDECAR_SUFFIX);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if (isNotFound(err)) throw notFound(table, name);
      throw err;
    }
    return decodeMeta(text);
  }

  /** Objects of one table, or of all tables; sorted by table, then name. Unreadable sidecars are skipped. */
  async list(table?: string): Promise<ObjectMeta[]> {
    const tables = table ? [validateName('table', table)] : await listDir(this.#objectsDir);
    const out: ObjectMeta[] = [];
    for (const t of tables.sort()) {
      for (const entry of (await listDir(join(this.#objectsDir, t))).sort()) {
        if (!entry.endsWith(SIDECAR_SUFFIX)) continue;
        try {
          out.push(decodeMeta(await readFile(join(this.#objectsDir, t, entry), 'utf8')));
        } catch {
          // A sidecar removed by a concurrent delete, or damaged by hand: not listed.
        }
      }
    }
    return out;
  }

  /** Removes an object (sidecar first, so it stops existing at once). */
  async delete(table: string, name: string): Promise<void> {
    validateName('table', table);
    validateName('object', name);
    await this.#lock.run(`${table}/${name}`, async () => {
      const dir = join(this.#objectsDir, table);
      try {
        await rm(join(dir, name + SIDECAR_SUFFIX));
      } catch (err) {
        if (isNotFound(err)) throw notFound(table, name);
        throw err;
      }
      await rm(join(dir, name), { force: true });
      await fsyncDir(dir);
    });
  }

  /** Opens an object's bytes for reading; close `file` when done. */
  async openRead(table: string, name: string): Promise<OpenedObject> {
    const meta = await this.stat(table, name);
    let file: FileHandle;
    try {
      file = await open(join(this.#objectsDir, table, name), 'r');
    } catch (err) {
      if (isNotFound(err)) throw notFound(table, name);
      throw err;
    }
    try {
      const { size } = await file.stat();
      return { meta, file, size };
    } catch (err) {
      await file.close().catch(() => {});
      throw err;
    }
  }

  /** The object as a Blob (what the engine's readers take). */
  async openBlob(table: string, name: string): Promise<{ meta: ObjectMeta; blob: Blob }> {
    const meta = await this.stat(table, name);
    try {
      return { meta, blob: await openFileBlob(join(this.#objectsDir, table, name)) };
    } catch (err) {
      if (isNotFound(err)) throw notFound(table, name);
      throw err;
    }
  }

  async #exists(table: string, name: string): Promise<boolean> {
    try {
      await stat(join(this.#objectsDir, table, name + SIDECAR_SUFFIX));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** Data files whose sidecar never got renamed into place (a crash between the two renames). */
  async #removeOrphans(): Promise<void> {
    for (const t of await listDir(this.#objectsDir)) {
      const entries = new Set(await listDir(join(this.#objectsDir, t)));
      for (const e of entries) {
        if (!e.endsWith(SIDECAR_SUFFIX) && !entries.has(e + SIDECAR_SUFFIX)) {
          await rm(join(this.#objectsDir, t, e), { force: true, recursive: true });
        }
      }
    }
  }
}

export function notFound(table: string, name: string): NotFoundError {
  return new NotFoundError(`object ${table}/${name} not found on this node`, {
    hint: `run "pushdown ls ${table}" to see the objects of table ${table}`,
  });
}

function alreadyExists(label: string): AlreadyExistsError {
  return new AlreadyExistsError(`object ${label} already exists`, {
    hint: 'delete it first or put with overwrite',
  });
}

function checkSha256(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  if (!/^[0-9a-fA-F]{64}$/.test(value)) {
    throw new InvalidArgumentError(`sha256 "${value.slice(0, 80)}" is not 64 hex digits`);
  }
  return value.toLowerCase();
}
