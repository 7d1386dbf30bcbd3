/**
 * The numbers of WASI preview 1 (witx `wasi_snapshot_preview1`): errno values, file types, flags
 * and rights bits, and the byte layouts of the structs the host writes into guest memory. They are
 * the ABI a guest's libc was compiled against, so each must match the spec exactly.
 */

/** errno (u16). Only the ones this host returns are named; the list keeps the spec's numbering. */
export const ERRNO = {
  SUCCESS: 0,
  ACCES: 2,
  BADF: 8,
  EXIST: 20,
  FAULT: 21,
  FBIG: 22,
  INVAL: 28,
  IO: 29,
  ISDIR: 31,
  NAMETOOLONG: 37,
  NOENT: 44,
  NOSPC: 51,
  NOSYS: 52,
  NOTDIR: 54,
  NOTEMPTY: 55,
  NOTSUP: 58,
  OVERFLOW: 61,
  PERM: 63,
  ROFS: 69,
  SPIPE: 70,
  XDEV: 75,
  NOTCAPABLE: 76,
} as const;
export type Errno = (typeof ERRNO)[keyof typeof ERRNO];

const ERRNO_NAMES = new Map<number, string>(Object.entries(ERRNO).map(([k, v]) => [v, k]));
/** `NOENT` for 44; `errno 17` for numbers this host never returns. */
export function errnoName(errno: number): string {
  return ERRNO_NAMES.get(errno) ?? `errno ${errno}`;
}

/** filetype (u8). */
export const FILETYPE = { UNKNOWN: 0, CHARACTER_DEVICE: 2, DIRECTORY: 3, REGULAR_FILE: 4 } as const;

/** whence (u8) of fd_seek. */
export const WHENCE = { SET: 0, CUR: 1, END: 2 } as const;

/** oflags (u16) of path_open. */
export const OFLAGS = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;

/** fdflags (u16). */
export const FDFLAGS = { APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 } as const;

/** clockid (u32). */
export const CLOCK = { REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME: 2, THREAD_CPUTIME: 3 } as const;

/** preopentype tag of prestat. */
export const PREOPENTYPE_DIR = 0;

/** rights (u64): bit n of the spec's `rights` flags. */
const bit = (n: number): bigint => 1n << BigInt(n);
export const RIGHTS = {
  FD_DATASYNC: bit(0),
  FD_READ: bit(1),
  FD_SEEK: bit(2),
  FD_FDSTAT_SET_FLAGS: bit(3),
  FD_SYNC: bit(4),
  FD_TELL: bit(5),
  FD_WRITE: bit(6),
  FD_ADVISE: bit(7),
  FD_ALLOCATE: bit(8),
  PATH_CREATE_DIRECTORY: bit(9),
  PATH_CREATE_FILE: bit(10),
  PATH_LINK_SOURCE: bit(11),
  PATH_LINK_TARGET: bit(12),
  PATH_OPEN: bit(13),
  FD_READDIR: bit(14),
  PATH_READLINK: bit(15),
  PATH_RENAME_SOURCE: bit(16),
  PATH_RENAME_TARGET: bit(17),
  PATH_FILESTAT_GET: bit(18),
  PATH_FILESTAT_SET_SIZE: bit(19),
  PATH_FILESTAT_SET_TIMES: bit(20),
  FD_FILESTAT_GET: bit(21),
  FD_FILESTAT_SET_SIZE: bit(22),
  FD_FILESTAT_SET_TIMES: bit(23),
  PATH_SYMLINK: bit(24),
  PATH_REMOVE_DIRECTORY: bit(25),
  PATH_UNLINK_FILE: bit(26),
  POLL_FD_READWRITE: bit(27),
} as const;

const R = RIGHTS;
/** What an fd of a read-only file may do. */
export const RIGHTS_FILE_READ =
  R.FD_READ |
  R.FD_SEEK |
  R.FD_TELL |
  R.FD_ADVISE |
  R.FD_FDSTAT_SET_FLAGS |
  R.FD_FILESTAT_GET |
  R.POLL_FD_READWRITE;
/** The rights that mean "will change the file": asking /data for any of them is ROFS. */
export const RIGHTS_FILE_WRITE_ONLY =
  R.FD_WRITE | R.FD_DATASYNC | R.FD_SYNC | R.FD_ALLOCATE | R.FD_FILESTAT_SET_SIZE | R.FD_FILESTAT_SET_TIMES;
export const RIGHTS_FILE_WRITE = RIGHTS_FILE_READ | RIGHTS_FILE_WRITE_ONLY;
/** What an fd of a read-only folder may do. */
export const RIGHTS_DIR_READ =
  R.PATH_OPEN |
  R.FD_READDIR |
  R.PATH_FILESTAT_GET |
  R.FD_FILESTAT_GET |
  R.PATH_READLINK |
  R.FD_FDSTAT_SET_FLAGS;
export const RIGHTS_DIR_WRITE =
  RIGHTS_DIR_READ |
  R.PATH_CREATE_DIRECTORY |
  R.PATH_CREATE_FILE |
  R.PATH_RENAME_SOURCE |
  R.PATH_RENAME_TARGET |
  R.PATH_FILESTAT_SET_SIZE |
  R.PATH_REMOVE_DIRECTORY |
  R.PATH_UNLINK_FILE;

/** Struct layouts (byte offsets) the host writes. */
export const FILESTAT = {
  SIZE: 64,
  DEV: 0,
  INO: 8,
  FILETYPE: 16,
  NLINK: 24,
  FILE_SIZE: 32,
  ATIM: 40,
  MTIM: 48,
  CTIM: 56,
};
export const FDSTAT = { SIZE: 24, FILETYPE: 0, FLAGS: 2, RIGHTS_BASE: 8, RIGHTS_INHERITING: 16 };
export const PRESTAT = { SIZE: 8, TAG: 0, NAME_LEN: 4 };
export const DIRENT = { SIZE: 24, NEXT: 0, INO: 8, NAMLEN: 16, TYPE: 20 };
export const IOVEC = { SIZE: 8, BUF: 0, LEN: 4 };
