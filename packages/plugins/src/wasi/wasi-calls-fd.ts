/**
 * WASI calls on open fds that move bytes: fd_read, fd_pread, fd_write, fd_pwrite, fd_seek,
 * fd_tell, fd_close, fd_advise, fd_sync, fd_datasync. Every pointer and length arrives unsigned
 * and every u64 as a non-negative bigint (the host wrapper normalises them).
 */
import { ERRNO, FDFLAGS, RIGHTS, WHENCE, type Errno } from './wasi-abi.js';
import type { FileNode } from './wasi-fs.js';
import type { OpenFd, WasiState } from './wasi-state.js';

export type WasiFn = (...args: (number | bigint)[]) => number;

/** The fd's entry if it exists and holds `right`: BADF for no such fd, NOTCAPABLE without the right. */
export function fdWith(s: WasiState, fd: number, right: bigint): OpenFd | Errno {
  const entry = s.fds.get(fd);
  if (!entry) return ERRNO.BADF;
  if ((entry.rightsBase & right) !== right) return ERRNO.NOTCAPABLE;
  return entry;
}

const isErrno = (x: unknown): x is Errno => typeof x === 'number';

/** Copies file bytes from `pos` into the iovecs; reads past the end give 0 bytes. */
function scatter(s: WasiState, node: FileNode, pos: number, iovs: number, count: number): number {
  let n = 0;
  for (const v of s.memory.iovecs(iovs, count)) {
    const take = Math.max(0, Math.min(v.len, node.size - pos - n));
    if (take === 0) break;
    s.memory.bytes(v.buf, take).set(node.data.subarray(pos + n, pos + n + take));
    n += take;
  }
  return n;
}

export function fdCalls(s: WasiState): Record<string, WasiFn> {
  const read = (fd: number, iovs: number, count: number, nreadPtr: number, at?: bigint): number => {
    const entry = fdWith(s, fd, at === undefined ? RIGHTS.FD_READ : RIGHTS.FD_READ | RIGHTS.FD_SEEK);
    if (isErrno(entry)) return entry;
    s.memory.view(nreadPtr, 4); // fault before any effect, not after the offset moved
    const node = entry.node;
    if (typeof node === 'string') {
      if (at !== undefined) return ERRNO.SPIPE;
      s.memory.setU32(nreadPtr, 0); // stdin is always at EOF
      return ERRNO.SUCCESS;
    }
    if (node.kind === 'dir') return ERRNO.ISDIR;
    const pos = at === undefined ? entry.offset : Number(at);
    const n = scatter(s, node, pos, iovs, count);
    if (at === undefined) entry.offset += n;
    s.memory.setU32(nreadPtr, n);
    s.detail = `${n} bytes`;
    return ERRNO.SUCCESS;
  };

  const write = (fd: number, iovs: number, count: number, nwrittenPtr: number, at?: bigint): number => {
    const entry = fdWith(s, fd, at === undefined ? RIGHTS.FD_WRITE : RIGHTS.FD_WRITE | RIGHTS.FD_SEEK);
    if (isErrno(entry)) {
      // a file of /data opened for reading: say why it cannot be written
      const node = s.fds.get(fd)?.node;
      return entry === ERRNO.NOTCAPABLE && typeof node === 'object' && node.readOnly ? ERRNO.ROFS : entry;
    }
    s.memory.view(nwrittenPtr, 4);
    const bytes = s.memory.gather(iovs, count);
    const node = entry.node;
    if (node === 'stdout' || node === 'stderr') {
      if (at !== undefined) return ERRNO.SPIPE;
      (node === 'stdout' ? s.out : s.err).add(bytes);
      s.memory.setU32(nwrittenPtr, bytes.length);
      s.detail = `${bytes.length} bytes`;
      return ERRNO.SUCCESS;
    }
    if (typeof node === 'string') return ERRNO.BADF;
    if (node.kind === 'dir') return ERRNO.ISDIR;
    const append = at === undefined && (entry.fdflags & FDFLAGS.APPEND) !== 0;
    const pos = at !== undefined ? Number(at) : append ? node.size : entry.offset;
    const result = s.fs.writeAt(node, pos, bytes);
    if ('errno' in result) return result.errno;
    if (at === undefined) entry.offset = pos + result.written;
    s.memory.setU32(nwrittenPtr, result.written);
    s.detail = `${result.written} bytes`;
    return ERRNO.SUCCESS;
  };

  return {
    fd_read: (fd, iovs, count, ptr) => read(fd as number, iovs as number, count as number, ptr as number),
    fd_pread: (fd, iovs, count, offset, ptr) =>
      read(fd as number, iovs as number, count as number, ptr as number, offset as bigint),
    fd_write: (fd, iovs, count, ptr) => write(fd as number, iovs as number, count as number, ptr as number),
    fd_pwrite: (fd, iovs, count, offset, ptr) =>
      write(fd as number, iovs as number, count as number, ptr as number, offset as bigint),
    fd_seek: (fd, offset, whence, ptr) =>
      seek(s, fd as number, offset as bigint, whence as number, ptr as number),
    fd_tell: (fd, ptr) => {
      const entry = fdWith(s, fd as number, RIGHTS.FD_TELL);
      if (isErrno(entry)) return entry;
      s.memory.setU64(ptr as number, BigInt(entry.offset));
      return ERRNO.SUCCESS;
    },
    fd_close: (fd) => {
      if (!s.fds.has(fd as number)) return ERRNO.BADF;
      s.close(fd as number);
      return ERRNO.SUCCESS;
    },
    fd_advise: (fd, _offset, _len, advice) => {
      const entry = fdWith(s, fd as number, RIGHTS.FD_ADVISE);
      if (isErrno(entry)) return entry;
      return (advice as number) <= 5 ? ERRNO.SUCCESS : ERRNO.INVAL;
    },
    // Nothing is buffered between the guest and memory, so syncing has nothing to do.
    fd_sync: (fd) => errnoOf(fdWith(s, fd as number, RIGHTS.FD_SYNC)),
    fd_datasync: (fd) => errnoOf(fdWith(s, fd as number, RIGHTS.FD_DATASYNC)),
  };
}

function errnoOf(entry: OpenFd | Errno): number {
  return isErrno(entry) ? entry : ERRNO.SUCCESS;
}

function seek(s: WasiState, fd: number, delta: bigint, whence: number, ptr: number): number {
  const entry = s.fds.get(fd);
  if (!entry) return ERRNO.BADF;
  if (typeof entry.node === 'string') return ERRNO.SPIPE; // stdio is a stream
  if ((entry.rightsBase & RIGHTS.FD_SEEK) === 0n) return ERRNO.NOTCAPABLE;
  if (entry.node.kind === 'dir') return ERRNO.ISDIR;
  const base =
    whence === WHENCE.SET
      ? 0
      : whence === WHENCE.CUR
        ? entry.offset
        : whence === WHENCE.END
          ? entry.node.size
          : -1;
  if (base < 0) return ERRNO.INVAL;
  const next = BigInt(base) + BigInt.asIntN(64, delta); // filedelta is signed
  if (next < 0n) return ERRNO.INVAL;
  if (next > BigInt(Number.MAX_SAFE_INTEGER)) return ERRNO.OVERFLOW;
  s.memory.setU64(ptr, next);
  entry.offset = Number(next);
  s.detail = `offset ${next}`;
  return ERRNO.SUCCESS;
}
