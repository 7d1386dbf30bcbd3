/**
 * Where the Parquet page decoder gets column chunk bytes: positioned reads of the file into two
 * reused buffers when the Blob is file-backed (see file-blob.ts), else Blob slices. Two buffers
 * because the scan reads the next row group while it decodes the current one; the decoder copies
 * everything it keeps, so a buffer is free again once its row group is decoded.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { filePathOf } from './file-blob.js';

export interface ByteSource {
  /**
   * Bytes `[start, end)`, possibly a view of the reused buffer of `slot` (any small integer; the
   * view stays valid until the next read into the same slot). Shorter if the file is.
   */
  read(start: number, end: number, slot: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** A source for `blob`; file-backed Blobs are read through their file if it still has their size. */
export async function byteSourceOf(blob: Blob): Promise<ByteSource> {
  const path = filePathOf(blob);
  if (path !== null) {
    let fh: FileHandle | null = null;
    try {
      fh = await open(path, 'r');
      // Replaced since the Blob was made (the Blob itself would refuse to read): use the Blob.
      if ((await fh.stat()).size === blob.size) return new FileSource(fh);
    } catch {
      // Unreadable by path: the Blob reports its own error.
    }
    await fh?.close().catch(() => undefined);
  }
  return {
    read: async (start, end) => new Uint8Array(await blob.slice(start, end).arrayBuffer()),
    close: async () => undefined,
  };
}

class FileSource implements ByteSource {
  private readonly slots = new Map<number, Uint8Array>();

  constructor(private readonly fh: FileHandle) {}

  async read(start: number, end: number, slot: number): Promise<Uint8Array> {
    const n = end - start;
    let buf = this.slots.get(slot);
    if (!buf || buf.length < n) {
      buf = new Uint8Array(Math.max(n, (buf?.length ?? 0) * 2));
      this.slots.set(slot, buf);
    }
    let done = 0;
    while (done < n) {
      const { bytesRead } = await this.fh.read(buf, done, n - done, start + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return buf.subarray(0, done);
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}
