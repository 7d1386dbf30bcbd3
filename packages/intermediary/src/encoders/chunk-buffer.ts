/**
 * Collects encoded output and hands it back in `data` chunks of at most `maxChunkBytes`
 * (1 MiB by default), so a large result streams as it is produced and no single gRPC message
 * or string holds all of it.
 */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

/** Text is encoded to bytes once this many characters have gathered. */
const TEXT_FLUSH_CHARS = 256 * 1024;

export class ChunkBuffer {
  readonly maxChunkBytes: number;
  #parts: Uint8Array[] = [];
  #bytes = 0;
  #text: string[] = [];
  #textChars = 0;
  #ready: Uint8Array[] = [];

  constructor(maxChunkBytes = DEFAULT_CHUNK_BYTES) {
    this.maxChunkBytes = maxChunkBytes;
  }

  pushText(s: string): void {
    this.#text.push(s);
    this.#textChars += s.length;
    if (this.#textChars >= TEXT_FLUSH_CHARS) this.#flushText();
  }

  pushBytes(b: Uint8Array): void {
    this.#flushText();
    this.#pushBytes(b);
  }

  /** Full chunks ready to send; keeps the partial tail for later. */
  take(): Uint8Array[] {
    const out = this.#ready;
    this.#ready = [];
    return out;
  }

  /** Everything left, the tail included. */
  takeAll(): Uint8Array[] {
    this.#flushText();
    if (this.#bytes > 0) this.#seal();
    return this.take();
  }

  #flushText(): void {
    if (this.#text.length === 0) return;
    const buf = Buffer.from(this.#text.join(''), 'utf8');
    this.#text = [];
    this.#textChars = 0;
    this.#pushBytes(buf);
  }

  #pushBytes(b: Uint8Array): void {
    let rest = b;
    while (rest.byteLength > 0) {
      const room = this.maxChunkBytes - this.#bytes;
      const piece = rest.byteLength <= room ? rest : rest.subarray(0, room);
      this.#parts.push(piece);
      this.#bytes += piece.byteLength;
      rest = rest.subarray(piece.byteLength);
      if (this.#bytes === this.maxChunkBytes) this.#seal();
    }
  }

  #seal(): void {
    const parts = this.#parts;
    this.#ready.push(parts.length === 1 ? parts[0]! : Buffer.concat(parts, this.#bytes));
    this.#parts = [];
    this.#bytes = 0;
  }
}
