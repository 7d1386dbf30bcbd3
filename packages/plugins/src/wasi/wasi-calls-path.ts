/**
 * WASI calls that name files by path relative to a folder fd: path_open, path_filestat_get,
 * path_create_directory, path_unlink_file, path_remove_directory, path_rename, path_readlink,
 * path_symlink, path_link. A path that is absolute or climbs above its folder fd is NOTCAPABLE
 * (wasi-paths.ts); a change under /data is ROFS; links are never created, as a link is the
 * classic way out of a sandboxed folder.
 */
import {
  ERRNO,
  FDFLAGS,
  OFLAGS,
  RIGHTS,
  RIGHTS_DIR_READ,
  RIGHTS_DIR_WRITE,
  RIGHTS_FILE_READ,
  RIGHTS_FILE_WRITE,
  RIGHTS_FILE_WRITE_ONLY,
  type Errno,
} from './wasi-abi.js';
import { fdWith, type WasiFn } from './wasi-calls-fd.js';
import { writeFilestat } from './wasi-calls-stat.js';
import type { DirNode, FsNode } from './wasi-fs.js';
import { resolveRelative } from './wasi-paths.js';
import type { WasiState } from './wasi-state.js';

interface Resolved {
  names: string[];
  /** The folder fd's node: read-only tells a change it is ROFS. */
  base: DirNode;
}

/** Resolves (dirfd, path) to names from the root, checking the fd, the right and the escape rule. */
function resolve(
  s: WasiState,
  dirfd: number,
  ptr: number,
  len: number,
  right: bigint,
  mutates: boolean,
): Resolved | Errno {
  const entry = s.fds.get(dirfd);
  if (!entry) return ERRNO.BADF;
  if (typeof entry.node !== 'object' || entry.node.kind !== 'dir') return ERRNO.NOTDIR;
  if (mutates && entry.node.readOnly) return ERRNO.ROFS;
  const checked = fdWith(s, dirfd, right);
  if (typeof checked === 'number') return checked;
  const names = resolveRelative(entry.names, s.memory.string(ptr, len));
  return names ? { names, base: entry.node } : ERRNO.NOTCAPABLE;
}

/** The parent folder of `names` and the last name, for calls that add or remove an entry. */
function parentOf(s: WasiState, names: string[]): { dir: DirNode; name: string } | Errno {
  if (names.length < 2) return ERRNO.PERM; // the mounts themselves cannot be replaced or removed
  const dir = s.fs.lookup(names.slice(0, -1));
  if (typeof dir === 'number') return dir;
  if (dir.kind !== 'dir') return ERRNO.NOTDIR;
  return { dir, name: names.at(-1)! };
}

const isErrno = (x: unknown): x is Errno => typeof x === 'number';

export function pathCalls(s: WasiState): Record<string, WasiFn> {
  const open = (
    dirfd: number,
    ptr: number,
    len: number,
    oflags: number,
    base: bigint,
    inh: bigint,
    fdflags: number,
    fdPtr: number,
  ): number => {
    s.memory.view(fdPtr, 4); // fault before creating anything
    const r = resolve(s, dirfd, ptr, len, RIGHTS.PATH_OPEN, false);
    if (isErrno(r)) return r;
    let node = s.fs.lookup(r.names);
    if (node === ERRNO.NOENT && oflags & OFLAGS.CREAT) {
      if (r.base.readOnly) return ERRNO.ROFS;
      if (fdWith(s, dirfd, RIGHTS.PATH_CREATE_FILE) === ERRNO.NOTCAPABLE) return ERRNO.NOTCAPABLE;
      const p = parentOf(s, r.names);
      if (isErrno(p)) return p;
      node = s.fs.file(false, new Uint8Array(0));
      p.dir.entries.set(p.name, node);
    } else if (isErrno(node)) return node;
    else if (oflags & OFLAGS.CREAT && oflags & OFLAGS.EXCL) return ERRNO.EXIST;
    if (node.kind === 'dir') {
      if (oflags & (OFLAGS.TRUNC | OFLAGS.CREAT)) return ERRNO.ISDIR;
      const allowed = node.readOnly ? RIGHTS_DIR_READ : RIGHTS_DIR_WRITE;
      const allowedInh = node.readOnly
        ? RIGHTS_DIR_READ | RIGHTS_FILE_READ
        : RIGHTS_DIR_WRITE | RIGHTS_FILE_WRITE;
      return done(fdPtr, r.names, node, base === 0n ? allowed : base & allowed, inh & allowedInh, 0);
    }
    if (oflags & OFLAGS.DIRECTORY) return ERRNO.NOTDIR;
    const writes =
      (base & RIGHTS_FILE_WRITE_ONLY) !== 0n || oflags & OFLAGS.TRUNC || fdflags & FDFLAGS.APPEND;
    if (node.readOnly && writes) return ERRNO.ROFS;
    const allowed = node.readOnly ? RIGHTS_FILE_READ : RIGHTS_FILE_WRITE;
    if (oflags & OFLAGS.TRUNC) s.fs.setSize(node, 0);
    // Rights 0 (what hand-written guests often pass) means "what this file allows".
    return done(fdPtr, r.names, node, base === 0n ? allowed : base & allowed, 0n, fdflags);
  };
  const done = (
    fdPtr: number,
    names: string[],
    node: FsNode,
    base: bigint,
    inh: bigint,
    fdflags: number,
  ): number => {
    const fd = s.open({ node, names, offset: 0, rightsBase: base, rightsInheriting: inh, fdflags });
    s.memory.setU32(fdPtr, fd);
    s.detail = `fd ${fd}`;
    return ERRNO.SUCCESS;
  };

  return {
    path_open: (dirfd, _dirflags, ptr, len, oflags, base, inh, fdflags, fdPtr) =>
      open(
        dirfd as number,
        ptr as number,
        len as number,
        oflags as number,
        base as bigint,
        inh as bigint,
        fdflags as number,
        fdPtr as number,
      ),
    path_filestat_get: (dirfd, _flags, ptr, len, buf) => {
      const r = resolve(s, dirfd as number, ptr as number, len as number, RIGHTS.PATH_FILESTAT_GET, false);
      if (isErrno(r)) return r;
      const node = s.fs.lookup(r.names);
      if (isErrno(node)) return node;
      writeFilestat(s, buf as number, node);
      if (node.kind === 'file') s.detail = `size ${node.size}`;
      return ERRNO.SUCCESS;
    },
    path_create_directory: (dirfd, ptr, len) => {
      const r = resolve(s, dirfd as number, ptr as number, len as number, RIGHTS.PATH_CREATE_DIRECTORY, true);
      if (isErrno(r)) return r;
      const p = parentOf(s, r.names);
      if (isErrno(p)) return p;
      if (p.dir.entries.has(p.name)) return ERRNO.EXIST;
      p.dir.entries.set(p.name, s.fs.dir(false));
      return ERRNO.SUCCESS;
    },
    path_unlink_file: (dirfd, ptr, len) => {
      const r = resolve(s, dirfd as number, ptr as number, len as number, RIGHTS.PATH_UNLINK_FILE, true);
      if (isErrno(r)) return r;
      const p = parentOf(s, r.names);
      if (isErrno(p)) return p;
      const node = p.dir.entries.get(p.name);
      if (!node) return ERRNO.NOENT;
      if (node.kind === 'dir') return ERRNO.ISDIR;
      p.dir.entries.delete(p.name);
      node.linked = false;
      s.fs.release(node);
      return ERRNO.SUCCESS;
    },
    path_remove_directory: (dirfd, ptr, len) => {
      const r = resolve(s, dirfd as number, ptr as number, len as number, RIGHTS.PATH_REMOVE_DIRECTORY, true);
      if (isErrno(r)) return r;
      const p = parentOf(s, r.names);
      if (isErrno(p)) return p;
      const node = p.dir.entries.get(p.name);
      if (!node) return ERRNO.NOENT;
      if (node.kind !== 'dir') return ERRNO.NOTDIR;
      if (node.entries.size > 0) return ERRNO.NOTEMPTY;
      p.dir.entries.delete(p.name);
      return ERRNO.SUCCESS;
    },
    path_rename: (fd, oldPtr, oldLen, newFd, newPtr, newLen) =>
      rename(
        s,
        resolve(s, fd as number, oldPtr as number, oldLen as number, RIGHTS.PATH_RENAME_SOURCE, true),
        resolve(s, newFd as number, newPtr as number, newLen as number, RIGHTS.PATH_RENAME_TARGET, true),
      ),
    // Nothing here is a link: an existing path is INVAL ("not a symbolic link"), as POSIX says.
    path_readlink: (dirfd, ptr, len) => {
      const r = resolve(s, dirfd as number, ptr as number, len as number, RIGHTS.PATH_READLINK, false);
      if (isErrno(r)) return r;
      const node = s.fs.lookup(r.names);
      return isErrno(node) ? node : ERRNO.INVAL;
    },
    path_symlink: () => ERRNO.NOTCAPABLE,
    path_link: () => ERRNO.NOTCAPABLE,
  };
}

function rename(s: WasiState, from: Resolved | Errno, to: Resolved | Errno): number {
  if (isErrno(from)) return from;
  if (isErrno(to)) return to;
  if (from.names[0] !== to.names[0]) return ERRNO.XDEV;
  const a = parentOf(s, from.names);
  const b = parentOf(s, to.names);
  if (isErrno(a)) return a;
  if (isErrno(b)) return b;
  const node = a.dir.entries.get(a.name);
  if (!node) return ERRNO.NOENT;
  const isInside = to.names.length > from.names.length && from.names.every((n, i) => to.names[i] === n);
  if (node.kind === 'dir' && isInside) return ERRNO.INVAL; // a folder into its own subtree
  const old = b.dir.entries.get(b.name);
  if (old === node) return ERRNO.SUCCESS;
  if (old?.kind === 'dir' && (node.kind !== 'dir' || old.entries.size > 0)) {
    return node.kind !== 'dir' ? ERRNO.ISDIR : ERRNO.NOTEMPTY;
  }
  if (old?.kind === 'file' && node.kind === 'dir') return ERRNO.NOTDIR;
  a.dir.entries.delete(a.name);
  b.dir.entries.set(b.name, node);
  if (old?.kind === 'file') {
    old.linked = false;
    s.fs.release(old);
  }
  return ERRNO.SUCCESS;
}
