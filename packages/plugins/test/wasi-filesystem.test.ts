// The WASI host's filesystem as a real guest sees it: /data read-only (the caller's bytes),
// /scratch writable and bounded, nothing else reachable. Errno numbers are preview 1's.
import { WASI_ERRNO as E } from '../src/index.js';
import { startGuest } from './wasi-guest.js';

const OBJECT = new TextEncoder().encode(
  Array.from({ length: 50 }, (_, i) => JSON.stringify({ id: i, name: `row ${i}` })).join('\n') + '\n',
);
const R = { READ: 1n << 1n, SEEK: 1n << 2n, TELL: 1n << 5n, WRITE: 1n << 6n, FSTAT: 1n << 21n };
const READ_RIGHTS = R.READ | R.SEEK | R.TELL | R.FSTAT;
const O = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 };
const WHENCE = { SET: 0, CUR: 1, END: 2 };

function guest(limit?: number) {
  const g = startGuest({
    readOnly: { '/data/object.jsonl': OBJECT, '/data/nested/small.txt': new TextEncoder().encode('abc') },
    ...(limit !== undefined ? { scratchLimitBytes: limit } : {}),
  });
  const out = g.alloc(8);
  /** path_open relative to `dir`; returns [errno, fd]. */
  const open = (
    dir: number,
    path: string,
    oflags = 0,
    rights = READ_RIGHTS,
    fdflags = 0,
  ): [number, number] => {
    const [p, l] = g.put(path);
    const err = g.call.open!(dir, p, l, oflags, rights, fdflags, out);
    return [err, err === 0 ? g.u32(out) : -1];
  };
  const read = (fd: number, len: number): [number, Uint8Array] => {
    const [iov, buf] = g.iov(len);
    const err = g.call.read!(fd, iov, 1, out);
    return [err, err === 0 ? g.bytes(buf, g.u32(out)) : new Uint8Array(0)];
  };
  const write = (fd: number, data: string): [number, number] => {
    const [p, l] = g.put(data);
    const [iov] = g.put(new Uint8Array(new Uint32Array([p, l]).buffer)); // one ciovec {buf, len}
    const err = g.call.write!(fd, iov, 1, out);
    return [err, err === 0 ? g.u32(out) : -1];
  };
  return { g, out, open, read, write };
}

describe('reading /data', () => {
  test.each([1, 7, 100, 4096])('a guest reading in %i-byte chunks sees every line', (chunk) => {
    const { g } = guest();
    expect(g.call.countLines!(chunk)).toBe(50);
  });

  test('reads past the end give 0 bytes, and seek SET/CUR/END move within bounds', () => {
    const { g, out, open, read } = guest();
    const [err, fd] = open(3, 'object.jsonl');
    expect(err).toBe(0);
    expect(g.call.seek!(fd, -5n, WHENCE.END, out)).toBe(0);
    expect(g.u64(out)).toBe(BigInt(OBJECT.length - 5));
    expect(read(fd, 100)[1]).toEqual(OBJECT.subarray(OBJECT.length - 5));
    expect(read(fd, 100)).toEqual([0, new Uint8Array(0)]); // at EOF: success, 0 bytes
    expect(g.call.seek!(fd, 10n, WHENCE.SET, out)).toBe(0);
    expect(g.call.seek!(fd, 3n, WHENCE.CUR, out)).toBe(0);
    expect(g.u64(out)).toBe(13n);
    expect(g.call.tell!(fd, out)).toBe(0);
    expect(g.u64(out)).toBe(13n);
    expect(read(fd, 4)[1]).toEqual(OBJECT.subarray(13, 17));
    expect(g.call.seek!(fd, -1n, WHENCE.SET, out)).toBe(E.INVAL); // before the start
    expect(g.call.seek!(fd, 0n, 7, out)).toBe(E.INVAL); // no such whence
    expect(g.call.seek!(fd, 1000n, WHENCE.END, out)).toBe(0); // past the end is allowed...
    expect(read(fd, 10)).toEqual([0, new Uint8Array(0)]); // ...and reads nothing
    expect(g.call.seek!(1, 0n, WHENCE.SET, out)).toBe(E.SPIPE); // stdout is a stream
  });

  test('fd_filestat_get and path_filestat_get report size and type in the 64-byte filestat', () => {
    const { g, open } = guest();
    const [, fd] = open(3, 'object.jsonl');
    const st = g.alloc(64);
    expect(g.call.fstat!(fd, st)).toBe(0);
    expect(g.bytes(st + 16, 1)[0]).toBe(4); // REGULAR_FILE
    expect(g.u64(st + 32)).toBe(BigInt(OBJECT.length));
    const [p, l] = g.put('nested/small.txt');
    expect(g.call.pstat!(3, p, l, st)).toBe(0);
    expect(g.u64(st + 32)).toBe(3n);
    const [d, dl] = g.put('nested');
    expect(g.call.pstat!(3, d, dl, st)).toBe(0);
    expect(g.bytes(st + 16, 1)[0]).toBe(3); // DIRECTORY
  });

  test('preopens: fd 3 is /data, fd 4 is /scratch, fd 5 is not a preopen', () => {
    const { g } = guest();
    const pre = g.alloc(8);
    for (const [fd, name] of [
      [3, '/data'],
      [4, '/scratch'],
    ] as const) {
      expect(g.call.prestat!(fd, pre)).toBe(0);
      expect(g.bytes(pre, 1)[0]).toBe(0); // preopentype dir
      expect(g.u32(pre + 4)).toBe(name.length);
      const buf = g.alloc(name.length);
      expect(g.call.prestatName!(fd, buf, name.length)).toBe(0);
      expect(new TextDecoder().decode(g.bytes(buf, name.length))).toBe(name);
    }
    expect(g.call.prestat!(5, pre)).toBe(E.BADF); // how libc learns the list ended
    expect(g.call.prestatName!(3, g.alloc(2), 2)).toBe(E.NAMETOOLONG);
  });

  test('fd_fdstat_get gives the file type and rights at their offsets', () => {
    const { g, open } = guest();
    const [, fd] = open(3, 'object.jsonl', 0, R.READ | R.SEEK);
    const st = g.alloc(24);
    expect(g.call.fdstat!(fd, st)).toBe(0);
    expect(g.bytes(st, 1)[0]).toBe(4);
    expect(g.u64(st + 8)).toBe(R.READ | R.SEEK); // what was asked, within what /data allows
    expect(g.call.fdstat!(3, st)).toBe(0);
    expect(g.bytes(st, 1)[0]).toBe(3);
  });

  test('fd_readdir lists ., .. and the entries, and resumes from a cookie', () => {
    const { g, out } = guest();
    const buf = g.alloc(512);
    expect(g.call.readdir!(3, buf, 512, 0n, out)).toBe(0);
    const names: string[] = [];
    let at = 0;
    const used = g.u32(out);
    while (at + 24 <= used) {
      const len = g.u32(buf + at + 16);
      names.push(new TextDecoder().decode(g.bytes(buf + at + 24, len)));
      at += 24 + len;
    }
    expect(names).toEqual(['.', '..', 'object.jsonl', 'nested']);
    expect(g.call.readdir!(3, buf, 512, 3n, out)).toBe(0); // from the 4th entry on
    expect(g.u32(buf + 16)).toBe('nested'.length);
  });
});

describe('nothing outside the preopens, nothing written into /data', () => {
  test.each([
    ['../etc/passwd', E.NOTCAPABLE],
    ['..', E.NOTCAPABLE],
    ['nested/../../scratch/x', E.NOTCAPABLE],
    ['/etc/passwd', E.NOTCAPABLE],
    ['/data/object.jsonl', E.NOTCAPABLE], // absolute even when it names a real file
    ['object.jsonl\0.txt', E.NOTCAPABLE],
    ['missing.jsonl', E.NOENT],
    ['object.jsonl/x', E.NOTDIR],
    ['nested/./small.txt', 0],
    ['nested/../object.jsonl', 0], // `..` that stays inside is fine
  ])('path_open(3, %j) = %i', (path, errno) => {
    expect(guest().open(3, path)[0]).toBe(errno);
  });

  test('a subfolder fd cannot climb back to its parent', () => {
    const { open } = guest();
    const [err, nested] = open(3, 'nested', O.DIRECTORY, 0n);
    expect(err).toBe(0);
    expect(open(nested, 'small.txt')[0]).toBe(0);
    expect(open(nested, '../object.jsonl')[0]).toBe(E.NOTCAPABLE);
  });

  test('every way of changing /data is refused, and its bytes stay the same', () => {
    const before = OBJECT.slice();
    const { g, open, write } = guest();
    expect(open(3, 'new.txt', O.CREAT, READ_RIGHTS | R.WRITE)[0]).toBe(E.ROFS);
    expect(open(3, 'object.jsonl', 0, READ_RIGHTS | R.WRITE)[0]).toBe(E.ROFS);
    expect(open(3, 'object.jsonl', O.TRUNC)[0]).toBe(E.ROFS);
    expect(open(3, 'object.jsonl', 0, READ_RIGHTS, 1 /* APPEND */)[0]).toBe(E.ROFS);
    const [, fd] = open(3, 'object.jsonl');
    expect(write(fd, 'x')[0]).toBe(E.ROFS);
    const [p, l] = g.put('object.jsonl');
    expect(g.call.unlink!(3, p, l)).toBe(E.ROFS);
    const [d, dl] = g.put('dir');
    expect(g.call.mkdir!(3, d, dl)).toBe(E.ROFS);
    expect(OBJECT).toEqual(before);
  });

  test.each([
    ['read', (g: ReturnType<typeof guest>) => g.g.call.read!(99, g.g.iov(4)[0], 1, g.out)],
    ['seek', (g: ReturnType<typeof guest>) => g.g.call.seek!(99, 0n, 0, g.out)],
    ['close', (g: ReturnType<typeof guest>) => g.g.call.close!(99)],
    ['fstat', (g: ReturnType<typeof guest>) => g.g.call.fstat!(99, g.g.alloc(64))],
    ['fdstat', (g: ReturnType<typeof guest>) => g.g.call.fdstat!(99, g.g.alloc(24))],
    ['open', (g: ReturnType<typeof guest>) => g.open(99, 'object.jsonl')[0]],
  ])('%s on a bad fd is BADF', (_name, run) => {
    expect(run(guest())).toBe(E.BADF);
  });

  test('a closed fd is bad afterwards; a pointer outside memory is FAULT, not a host crash', () => {
    const { g, out, open } = guest();
    const [, fd] = open(3, 'object.jsonl');
    expect(g.call.close!(fd)).toBe(0);
    expect(g.call.close!(fd)).toBe(E.BADF);
    const [, file] = open(3, 'object.jsonl');
    expect(g.call.tell!(file, 4 * 65536 - 4)).toBe(E.FAULT); // 8 bytes do not fit there
    expect(g.call.seek!(3, 0n, 0, out)).toBe(E.NOTCAPABLE); // a folder fd has no FD_SEEK
  });
});

describe('/scratch', () => {
  test('a guest copies a file into /scratch and the host sees it', () => {
    const { g } = guest();
    expect(g.call.copyToScratch!()).toBe(OBJECT.length);
    expect(g.host.scratchFiles()).toEqual(new Map([['/scratch/copy/object.jsonl', OBJECT]]));
  });

  test('write, seek back, read back; append; truncate on open', () => {
    const { g, out, open, read, write } = guest();
    const [err, fd] = open(4, 'notes.txt', O.CREAT, READ_RIGHTS | R.WRITE);
    expect(err).toBe(0);
    expect(write(fd, 'hello world')).toEqual([0, 11]);
    expect(g.call.seek!(fd, 6n, WHENCE.SET, out)).toBe(0);
    expect(new TextDecoder().decode(read(fd, 100)[1])).toBe('world');
    const [, app] = open(4, 'notes.txt', 0, READ_RIGHTS | R.WRITE, 1 /* APPEND */);
    expect(write(app, '!')[0]).toBe(0);
    expect(new TextDecoder().decode(g.host.scratchFiles().get('/scratch/notes.txt'))).toBe('hello world!');
    expect(open(4, 'notes.txt', O.CREAT | O.EXCL, READ_RIGHTS | R.WRITE)[0]).toBe(E.EXIST);
    expect(open(4, 'notes.txt', O.TRUNC, READ_RIGHTS | R.WRITE)[0]).toBe(0);
    expect(g.host.scratchFiles().get('/scratch/notes.txt')).toEqual(new Uint8Array(0));
    expect(open(4, 'gone/x.txt', O.CREAT, READ_RIGHTS | R.WRITE)[0]).toBe(E.NOENT);
  });

  test('writes past the scratch limit fail with NOSPC; truncating frees room', () => {
    const { open, write } = guest(16);
    const [, fd] = open(4, 'a.bin', O.CREAT, READ_RIGHTS | R.WRITE);
    expect(write(fd, '0123456789')).toEqual([0, 10]);
    expect(write(fd, 'abcdefghij')).toEqual([0, 6]); // a short write: what fits
    expect(write(fd, 'x')[0]).toBe(E.NOSPC);
    const [, other] = open(4, 'b.bin', O.CREAT, READ_RIGHTS | R.WRITE);
    expect(write(other, 'y')[0]).toBe(E.NOSPC); // the limit is for the whole folder
    expect(open(4, 'a.bin', O.TRUNC, READ_RIGHTS | R.WRITE)[0]).toBe(0);
    expect(write(other, 'y')).toEqual([0, 1]);
  });

  test('an unlinked file still open keeps counting against the limit until closed', () => {
    const { g, open, write } = guest(8);
    const [, fd] = open(4, 'tmp.bin', O.CREAT, READ_RIGHTS | R.WRITE);
    expect(write(fd, '12345678')[1]).toBe(8);
    const [p, l] = g.put('tmp.bin');
    expect(g.call.unlink!(4, p, l)).toBe(0);
    expect(g.host.scratchFiles().size).toBe(0);
    const [, fd2] = open(4, 'next.bin', O.CREAT, READ_RIGHTS | R.WRITE);
    expect(write(fd2, 'z')[0]).toBe(E.NOSPC); // else unlink-then-write would grow without bound
    expect(g.call.close!(fd)).toBe(0);
    expect(write(fd2, 'z')).toEqual([0, 1]);
  });
});
