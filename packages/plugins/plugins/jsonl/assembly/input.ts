// Lines of the object, read through fd_read in chunks of `chunkBytes` into one buffer that holds
// the unread tail plus the next chunk. A line that spans chunks is moved to the buffer's start
// and completed by the next read; a line longer than the buffer doubles it. The object is never
// assumed to be in memory as a whole. Line numbers are 1-based; "\r\n" endings and a missing
// final newline are accepted; a UTF-8 byte order mark at the start of the object is skipped.
import { readInto } from "./wasi";

export class LineInput {
  buf: usize = 0;
  cap: usize = 0;
  pos: usize = 0; // first unread byte (offset into buf)
  end: usize = 0; // end of the bytes read so far
  scanned: usize = 0; // bytes after pos already known to hold no '\n'
  eof: bool = false;
  first: bool = true;
  /** The current line: [lineStart, lineEnd) absolute pointers, and its number. */
  lineStart: usize = 0;
  lineEnd: usize = 0;
  lineNo: i64 = 0;
  /** A negative errno when a read failed (nextLine then returns false). */
  errno: i64 = 0;

  constructor(public fd: u32, public chunkBytes: usize) {
    this.cap = chunkBytes;
    this.buf = heap.alloc(this.cap);
  }

  /** Advances to the next line; false at the end of the object or on a read error. */
  nextLine(): bool {
    while (true) {
      const start = this.buf + this.pos;
      const stop = this.buf + this.end;
      let p = start + this.scanned;
      while (p < stop && load<u8>(p) != 10) p++;
      if (p < stop) {
        this.take(start, p);
        this.pos = p + 1 - this.buf;
        return true;
      }
      this.scanned = stop - start;
      if (this.eof) {
        if (start == stop) return false;
        this.take(start, stop);
        this.pos = this.end;
        return true;
      }
      if (!this.fill()) return false;
    }
  }

  private take(start: usize, stop: usize): void {
    if (this.first) {
      this.first = false;
      if (stop - start >= 3 && load<u8>(start) == 0xef && load<u8>(start + 1) == 0xbb && load<u8>(start + 2) == 0xbf) {
        start += 3;
      }
    }
    if (stop > start && load<u8>(stop - 1) == 13) stop--;
    this.lineStart = start;
    this.lineEnd = stop;
    this.lineNo++;
    this.scanned = 0;
  }

  /** Moves the unread tail to the front, grows the buffer if the tail fills it, reads a chunk. */
  private fill(): bool {
    const tail = this.end - this.pos;
    if (this.pos > 0) {
      memory.copy(this.buf, this.buf + this.pos, tail);
      this.pos = 0;
      this.end = tail;
    }
    if (this.cap - tail < this.chunkBytes) {
      // The old buffer is not freed: the stub allocator only reclaims its last block, and a
      // line longer than a chunk is rare enough that doubling keeps the waste bounded.
      const cap = max(this.cap << 1, tail + this.chunkBytes);
      const grown = heap.alloc(cap);
      memory.copy(grown, this.buf, tail);
      this.buf = grown;
      this.cap = cap;
    }
    const n = readInto(this.fd, this.buf + this.end, this.chunkBytes);
    if (n < 0) {
      this.errno = n;
      return false;
    }
    if (n == 0) this.eof = true;
    this.end += <usize>n;
    return true;
  }
}
