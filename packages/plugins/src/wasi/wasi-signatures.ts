/**
 * The WASI preview-1 functions this host implements, each with the names of its parameters as
 * trace mode prints them. A name in `{...}` marks a (pointer, length) pair the tracer decodes as
 * a string (a path); `*name` marks an output pointer. A module importing a WASI function missing
 * here is refused at load (plugin-verify), so the list is also the host's contract.
 */
import { WASI_MODULE } from './wasi-types.js';

export const WASI_SIGNATURES: Readonly<Record<string, readonly string[]>> = {
  args_get: ['*argv', '*argv_buf'],
  args_sizes_get: ['*argc', '*argv_buf_size'],
  environ_get: ['*environ', '*environ_buf'],
  environ_sizes_get: ['*environc', '*environ_buf_size'],
  clock_res_get: ['id', '*resolution'],
  clock_time_get: ['id', 'precision', '*time'],
  fd_advise: ['fd', 'offset', 'len', 'advice'],
  fd_close: ['fd'],
  fd_datasync: ['fd'],
  fd_fdstat_get: ['fd', '*stat'],
  fd_fdstat_set_flags: ['fd', 'flags'],
  fd_filestat_get: ['fd', '*stat'],
  fd_filestat_set_size: ['fd', 'size'],
  fd_pread: ['fd', 'iovs', 'iovs_len', 'offset', '*nread'],
  fd_prestat_get: ['fd', '*prestat'],
  fd_prestat_dir_name: ['fd', '*path', 'path_len'],
  fd_pwrite: ['fd', 'iovs', 'iovs_len', 'offset', '*nwritten'],
  fd_read: ['fd', 'iovs', 'iovs_len', '*nread'],
  fd_readdir: ['fd', '*buf', 'buf_len', 'cookie', '*bufused'],
  fd_seek: ['fd', 'offset', 'whence', '*newoffset'],
  fd_sync: ['fd'],
  fd_tell: ['fd', '*offset'],
  fd_write: ['fd', 'iovs', 'iovs_len', '*nwritten'],
  path_create_directory: ['fd', '{path}'],
  path_filestat_get: ['fd', 'flags', '{path}', '*stat'],
  path_link: ['old_fd', 'old_flags', '{old_path}', 'new_fd', '{new_path}'],
  path_open: ['fd', 'dirflags', '{path}', 'oflags', 'rights', 'inheriting', 'fdflags', '*fd'],
  path_readlink: ['fd', '{path}', '*buf', 'buf_len', '*bufused'],
  path_remove_directory: ['fd', '{path}'],
  path_rename: ['fd', '{old_path}', 'new_fd', '{new_path}'],
  path_symlink: ['{old_path}', 'fd', '{new_path}'],
  path_unlink_file: ['fd', '{path}'],
  proc_exit: ['code'],
  random_get: ['*buf', 'buf_len'],
  sched_yield: [],
};

/** The host's WASI functions, sorted. */
export const WASI_FUNCTIONS: readonly string[] = Object.keys(WASI_SIGNATURES).sort();

/**
 * The `wasi_snapshot_preview1.*` entries of an import list this host cannot provide, e.g.
 * `['sock_accept']` (bare function names). A module that imports one is refused at load.
 */
export function unsupportedWasiImports(imports: readonly string[]): string[] {
  const prefix = `${WASI_MODULE}.`;
  return imports
    .filter((i) => i.startsWith(prefix) && !(i.slice(prefix.length) in WASI_SIGNATURES))
    .map((i) => i.slice(prefix.length));
}

/**
 * The arguments of a call as strace shows them: `fd=3, "/data/x.jsonl", oflags=0, ...`. Paths
 * are read from guest memory by `readString`, which may throw on a bad pointer (shown as such).
 */
export function describeWasiArgs(
  name: string,
  args: readonly (number | bigint)[],
  readString: (ptr: number, len: number) => string,
): string {
  const params = WASI_SIGNATURES[name];
  if (!params) return args.map(String).join(', ');
  const out: string[] = [];
  let i = 0;
  for (const p of params) {
    if (p.startsWith('{')) {
      const ptr = Number(args[i]);
      const len = Number(args[i + 1]);
      i += 2;
      try {
        out.push(JSON.stringify(readString(ptr, len)));
      } catch {
        out.push(`<bad pointer ${ptr}+${len}>`);
      }
    } else {
      const v = args[i++];
      const hex = p.startsWith('*') || p === 'iovs' || p === 'rights' || p === 'inheriting';
      out.push(`${p.replace('*', '')}=${hex && v !== undefined ? `0x${v.toString(16)}` : String(v)}`);
    }
  }
  return out.join(', ');
}
