// The WASI preview-1 calls the reader imports, and the little it builds on them: environment
// lookup, finding the preopened folder that holds a path, and opening a file read-only. Every
// call returns an errno (0 = success); pointers are into the imported memory.

@external("wasi_snapshot_preview1", "environ_sizes_get")
declare function environ_sizes_get(countPtr: usize, sizePtr: usize): u16;
@external("wasi_snapshot_preview1", "environ_get")
declare function environ_get(environPtr: usize, bufPtr: usize): u16;
@external("wasi_snapshot_preview1", "fd_prestat_get")
declare function fd_prestat_get(fd: u32, prestatPtr: usize): u16;
@external("wasi_snapshot_preview1", "fd_prestat_dir_name")
declare function fd_prestat_dir_name(fd: u32, pathPtr: usize, pathLen: usize): u16;
@external("wasi_snapshot_preview1", "path_open")
declare function path_open(
  dirFd: u32, dirFlags: u32, pathPtr: usize, pathLen: usize, oflags: u16,
  rightsBase: u64, rightsInheriting: u64, fdFlags: u16, fdOut: usize,
): u16;
@external("wasi_snapshot_preview1", "fd_filestat_get")
declare function fd_filestat_get(fd: u32, statPtr: usize): u16;
@external("wasi_snapshot_preview1", "fd_read")
declare function fd_read(fd: u32, iovs: usize, iovsLen: usize, nreadPtr: usize): u16;
@external("wasi_snapshot_preview1", "fd_close")
declare function fd_close(fd: u32): u16;

const ERRNO_BADF: u16 = 8;
const ERRNO_NOENT: u16 = 44;
const RIGHT_FD_READ: u64 = 1 << 1;
const RIGHT_FD_FILESTAT_GET: u64 = 1 << 21;

/** Eight bytes of scratch for out-parameters (fd, counts, nread), allocated once. */
const out: usize = heap.alloc(64);

let environ: Array<string> | null = null;

/** The environment, read once (two WASI calls) and kept. */
function environment(): Array<string> {
  let all = environ;
  if (all != null) return all;
  all = new Array<string>();
  environ = all;
  if (environ_sizes_get(out, out + 4) != 0) return all;
  const count = load<u32>(out);
  const size = load<u32>(out + 4);
  const ptrs = heap.alloc(<usize>count * 4 + 4);
  const buf = heap.alloc(<usize>size + 1);
  if (environ_get(ptrs, buf) != 0) return all;
  for (let i: u32 = 0; i < count; i++) {
    const entry = <usize>load<u32>(ptrs + <usize>i * 4);
    let len: usize = 0;
    while (load<u8>(entry + len) != 0) len++;
    all.push(String.UTF8.decodeUnsafe(entry, len));
  }
  return all;
}

/** The value of environment variable `name`, or null when it is not set. */
export function getEnv(name: string): string | null {
  const all = environment();
  const prefix = name + "=";
  for (let i = 0; i < all.length; i++) {
    if (all[i].startsWith(prefix)) return all[i].substring(prefix.length);
  }
  return null;
}

/** What openRead found: an fd, or the errno and what failed. */
export class Opened {
  fd: u32 = 0;
  errno: u16 = 0;
  size: u64 = 0;
  what: string = "";
}

/**
 * Opens the absolute guest path `path` for reading. WASI has no absolute opens: the path is
 * resolved against the preopened folder whose name is its longest prefix, found by walking the
 * preopens from fd 3 until fd_prestat_get answers EBADF (as wasi-libc does).
 */
export function openRead(path: string): Opened {
  const r = new Opened();
  let bestFd: i32 = -1;
  let bestLen = 0;
  for (let fd: u32 = 3; fd < 64; fd++) {
    const errno = fd_prestat_get(fd, out);
    if (errno == ERRNO_BADF) break;
    if (errno != 0 || load<u8>(out) != 0) continue; // not a folder preopen
    const len = <i32>load<u32>(out + 4);
    const name = heap.alloc(<usize>len + 1);
    if (fd_prestat_dir_name(fd, name, <usize>len) != 0) continue;
    let dir = String.UTF8.decodeUnsafe(name, <usize>len);
    while (dir.length > 1 && dir.endsWith("/")) dir = dir.substring(0, dir.length - 1);
    const inside = path.startsWith(dir + "/") || (dir == "/" && path.startsWith("/"));
    if (inside && dir.length > bestLen) {
      bestFd = <i32>fd;
      bestLen = dir.length;
    }
  }
  if (bestFd < 0) {
    r.errno = ERRNO_NOENT;
    r.what = "no preopened folder holds " + path;
    return r;
  }
  let rel = path.substring(bestLen);
  while (rel.startsWith("/")) rel = rel.substring(1);
  const bytes = String.UTF8.encode(rel);
  const rights = RIGHT_FD_READ | RIGHT_FD_FILESTAT_GET;
  const errno = path_open(<u32>bestFd, 0, changetype<usize>(bytes), <usize>bytes.byteLength, 0, rights, 0, 0, out);
  if (errno != 0) {
    r.errno = errno;
    r.what = "path_open " + path;
    return r;
  }
  r.fd = load<u32>(out);
  // The size only bounds the first read buffer, so a failed stat is not an error.
  if (fd_filestat_get(r.fd, out) == 0) r.size = load<u64>(out + 32);
  return r;
}

/** Reads up to `len` bytes at `ptr` from `fd`; returns the count (0 at the end), or -errno. */
export function readInto(fd: u32, ptr: usize, len: usize): i64 {
  store<u32>(out + 8, <u32>ptr);
  store<u32>(out + 12, <u32>len);
  const errno = fd_read(fd, out + 8, 1, out + 16);
  if (errno != 0) return -<i64>errno;
  return <i64>load<u32>(out + 16);
}

export function closeFd(fd: u32): u16 {
  return fd_close(fd);
}
