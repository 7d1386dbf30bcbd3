/**
 * A file that appears under its final name only when complete: bytes go to a hidden temp file
 * in the same directory, which is fsynced and renamed over the final name on commit. An
 * interrupted run leaves at most a `.name.tmp-*` file, never a truncated `name`.
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export class AtomicFile {
  readonly path: string;
  readonly tempPath: string;
  bytesWritten = 0;
  private handle: FileHandle | undefined;

  private constructor(path: string, tempPath: string, handle: FileHandle) {
    this.path = path;
    this.tempPath = tempPath;
    this.handle = handle;
  }

  static async create(path: string): Promise<AtomicFile> {
    const tempPath = join(
      dirname(path),
      `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
    );
    return new AtomicFile(path, tempPath, await open(tempPath, 'wx'));
  }

  async write(bytes: Uint8Array): Promise<void> {
    const handle = this.live();
    let off = 0;
    while (off < bytes.byteLength) {
      const { bytesWritten } = await handle.write(bytes, off, bytes.byteLength - off);
      off += bytesWritten;
    }
    this.bytesWritten += bytes.byteLength;
  }

  /** Flushes to disk and publishes the file under its final name (replacing an older one). */
  async commit(): Promise<void> {
    const handle = this.live();
    this.handle = undefined;
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.tempPath, this.path);
  }

  /** Drops the temp file; safe to call after a failed write or twice. */
  async abort(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
    await rm(this.tempPath, { force: true });
  }

  private live(): FileHandle {
    if (!this.handle) throw new Error(`${this.path}: file already committed or aborted`);
    return this.handle;
  }
}
