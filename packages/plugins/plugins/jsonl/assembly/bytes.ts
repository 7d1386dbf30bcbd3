// A growable byte buffer in the reader's heap: utf8 column data, unescaped keys, schema text.
// Growing allocates a new block and drops the old one (the stub allocator cannot free it unless
// it is the last block), so capacities double to keep that waste bounded.

export class ByteBuf {
  ptr: usize = 0;
  len: usize = 0;
  cap: usize = 0;

  constructor(initial: usize = 256) {
    this.cap = initial;
    this.ptr = heap.alloc(initial);
  }

  @inline reset(): void {
    this.len = 0;
  }

  ensure(extra: usize): void {
    const need = this.len + extra;
    if (need <= this.cap) return;
    let cap = this.cap << 1;
    while (cap < need) cap <<= 1;
    const grown = heap.alloc(cap);
    memory.copy(grown, this.ptr, this.len);
    this.ptr = grown;
    this.cap = cap;
  }

  @inline push(b: u32): void {
    if (this.len == this.cap) this.ensure(1);
    store<u8>(this.ptr + this.len, <u8>b);
    this.len++;
  }

  append(src: usize, n: usize): void {
    this.ensure(n);
    memory.copy(this.ptr + this.len, src, n);
    this.len += n;
  }

  appendString(s: string): void {
    const bytes = String.UTF8.encode(s);
    this.append(changetype<usize>(bytes), <usize>bytes.byteLength);
  }

  /** A code point as UTF-8 (1-4 bytes). */
  pushCodePoint(cp: u32): void {
    if (cp < 0x80) {
      this.push(cp);
    } else if (cp < 0x800) {
      this.push(0xc0 | (cp >> 6));
      this.push(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      this.push(0xe0 | (cp >> 12));
      this.push(0x80 | ((cp >> 6) & 0x3f));
      this.push(0x80 | (cp & 0x3f));
    } else {
      this.push(0xf0 | (cp >> 18));
      this.push(0x80 | ((cp >> 12) & 0x3f));
      this.push(0x80 | ((cp >> 6) & 0x3f));
      this.push(0x80 | (cp & 0x3f));
    }
  }

  /** The bytes as a string (for messages and the schema only, never per row). */
  toString(): string {
    return String.UTF8.decodeUnsafe(this.ptr, this.len);
  }

  equals(ptr: usize, n: usize): bool {
    return n == this.len && memory.compare(this.ptr, ptr, n) == 0;
  }
}

/** Length-prefixed copy ([u32 length][bytes]) of `buf`, the shape string results take. */
export function lengthPrefixed(buf: ByteBuf): usize {
  const p = heap.alloc(buf.len + 4);
  store<u32>(p, <u32>buf.len);
  memory.copy(p + 4, buf.ptr, buf.len);
  return p;
}
