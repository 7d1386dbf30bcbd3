/**
 * WASI calls that describe fds and folders: fd_filestat_get, fd_filestat_set_size, fd_fdstat_get,
 * fd_fdstat_set_flags, fd_prestat_get, fd_prestat_dir_name and fd_readdir. They write the
 * preview-1 structs (filestat 64 bytes, fdstat 24, prestat 8, dirent 24 + name) at the offsets
 * of wasi-abi.ts.
 */
import {
  DIRENT,
  ERRNO,
  FDFLAGS,
  FDSTAT,
  FILESTAT,
  FILETYPE,
  PREOPENTYPE_DIR,
  PRESTAT,
  RIGHTS,
} from './wasi-abi.js';
import { fdWith, type WasiFn } from './wasi-calls-fd.js';
import type { FsNode } from './wasi-fs.js';
import type { OpenFd, WasiState } from './wasi-state.js';

// One device for the whole in-memory filesystem, another for the stdio character devices.
const FS_DEV = 1n;
const STDIO_DEV = 2n;

function filetypeOf(node: OpenFd['node']): number {
  if (typeof node === 'string') return FILETYPE.CHARACTER_DEVICE;
  return node.kind === 'dir' ? FILETYPE.DIRECTORY : FILETYPE.REGULAR_FILE;
}

/** Writes a 64-byte filestat for `node` at `ptr`. */
export function writeFilestat(s: WasiState, ptr: number, node: OpenFd['node']): void {
  const v = s.memory.view(ptr, FILESTAT.SIZE);
  new Uint8Array(v.buffer, v.byteOffset, FILESTAT.SIZE).fill(0); // padding after filetype
  const real = typeof node === 'object' ? (node as FsNode) : undefined;
  v.setBigUint64(FILESTAT.DEV, real ? FS_DEV : STDIO_DEV, true);
  v.setBigUint64(FILESTAT.INO, BigInt(real?.ino ?? 0), true);
  v.setUint8(FILESTAT.FILETYPE, filetypeOf(node));
  v.setBigUint64(FILESTAT.NLINK, 1n, true);
  v.setBigUint64(FILESTAT.FILE_SIZE, BigInt(real?.kind === 'file' ? real.size : 0), true);
  const t = real?.mtimeNs ?? 0n;
  v.setBigUint64(FILESTAT.ATIM, t, true);
  v.setBigUint64(FILESTAT.MTIM, t, true);
  v.setBigUint64(FILESTAT.CTIM, t, true);
}

export function statCalls(s: WasiState): Record<string, WasiFn> {
  return {
    fd_filestat_get: (fd, ptr) => {
      const entry = fdWith(s, fd as number, RIGHTS.FD_FILESTAT_GET);
      if (typeof entry === 'number') return entry;
      writeFilestat(s, ptr as number, entry.node);
      if (typeof entry.node === 'object' && entry.node.kind === 'file') s.detail = `size ${entry.node.size}`;
      return ERRNO.SUCCESS;
    },
    fd_filestat_set_size: (fd, size) => {
      const entry = fdWith(s, fd as number, RIGHTS.FD_FILESTAT_SET_SIZE);
      if (typeof entry === 'number') return entry;
      if (typeof entry.node !== 'object' || entry.node.kind !== 'file') return ERRNO.INVAL;
      if ((size as bigint) > BigInt(Number.MAX_SAFE_INTEGER)) return ERRNO.FBIG;
      return s.fs.setSize(entry.node, Number(size));
    },
    fd_fdstat_get: (fd, ptr) => {
      const entry = s.fds.get(fd as number);
      if (!entry) return ERRNO.BADF;
      const v = s.memory.view(ptr as number, FDSTAT.SIZE);
      new Uint8Array(v.buffer, v.byteOffset, FDSTAT.SIZE).fill(0);
      v.setUint8(FDSTAT.FILETYPE, filetypeOf(entry.node));
      v.setUint16(FDSTAT.FLAGS, entry.fdflags, true);
      v.setBigUint64(FDSTAT.RIGHTS_BASE, entry.rightsBase, true);
      v.setBigUint64(FDSTAT.RIGHTS_INHERITING, entry.rightsInheriting, true);
      return ERRNO.SUCCESS;
    },
    fd_fdstat_set_flags: (fd, flags) => {
      const entry = fdWith(s, fd as number, RIGHTS.FD_FDSTAT_SET_FLAGS);
      if (typeof entry === 'number') return entry;
      const all = FDFLAGS.APPEND | FDFLAGS.DSYNC | FDFLAGS.NONBLOCK | FDFLAGS.RSYNC | FDFLAGS.SYNC;
      if (((flags as number) & ~all) !== 0) return ERRNO.INVAL;
      entry.fdflags = flags as number;
      return ERRNO.SUCCESS;
    },
    // libc asks fd 3, 4, 5, ... until BADF to learn the preopens and their names.
    fd_prestat_get: (fd, ptr) => {
      const entry = s.fds.get(fd as number);
      if (entry?.preopen === undefined) return ERRNO.BADF;
      const v = s.memory.view(ptr as number, PRESTAT.SIZE);
      v.setUint32(0, 0, true);
      v.setUint8(PRESTAT.TAG, PREOPENTYPE_DIR);
      v.setUint32(PRESTAT.NAME_LEN, Buffer.byteLength(entry.preopen), true);
      s.detail = entry.preopen;
      return ERRNO.SUCCESS;
    },
    fd_prestat_dir_name: (fd, ptr, len) => {
      const entry = s.fds.get(fd as number);
      if (entry?.preopen === undefined) return ERRNO.BADF;
      const name = Buffer.from(entry.preopen);
      if ((len as number) < name.length) return ERRNO.NAMETOOLONG;
      s.memory.bytes(ptr as number, name.length).set(name);
      return ERRNO.SUCCESS;
    },
    fd_readdir: (fd, buf, bufLen, cookie, usedPtr) => {
      const entry = fdWith(s, fd as number, RIGHTS.FD_READDIR);
      if (typeof entry === 'number') return entry;
      if (typeof entry.node !== 'object' || entry.node.kind !== 'dir') return ERRNO.NOTDIR;
      const dir = entry.node;
      const names: [string, FsNode][] = [['.', dir], ['..', dir], ...dir.entries];
      // Serialise from the cookie on and copy what fits: a truncated last entry tells the guest
      // (bufused == buf_len) to call again with a bigger buffer or the next cookie.
      const parts: Buffer[] = [];
      for (let i = Number(cookie as bigint); i < names.length; i++) {
        const [name, node] = names[i]!;
        const nameBytes = Buffer.from(name);
        const head = Buffer.alloc(DIRENT.SIZE);
        head.writeBigUInt64LE(BigInt(i + 1), DIRENT.NEXT);
        head.writeBigUInt64LE(BigInt(node.ino), DIRENT.INO);
        head.writeUInt32LE(nameBytes.length, DIRENT.NAMLEN);
        head.writeUInt8(node.kind === 'dir' ? FILETYPE.DIRECTORY : FILETYPE.REGULAR_FILE, DIRENT.TYPE);
        parts.push(head, nameBytes);
      }
      const all = Buffer.concat(parts);
      const n = Math.min(all.length, bufLen as number);
      s.memory.setU32(usedPtr as number, n);
      s.memory.bytes(buf as number, n).set(all.subarray(0, n));
      s.detail = `${n} bytes of entries`;
      return ERRNO.SUCCESS;
    },
  };
}
