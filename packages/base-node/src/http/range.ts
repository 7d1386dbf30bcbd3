/**
 * `Range: bytes=...` for a single range (RFC 9110 §14). Readers such as parquet-wasm's HTTP
 * reader fetch footers with suffix ranges (`bytes=-n`) and may ask past the end; both must be
 * answered exactly, or the reader aborts the whole process.
 */

export type RangeResult =
  /** No Range header, or one we ignore (malformed, several ranges, another unit): send it all. */
  | { readonly kind: 'full' }
  /** Inclusive byte positions, already clamped to the object. */
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  /** 416 with `Content-Range: bytes *\/size`. */
  | { readonly kind: 'unsatisfiable' };

const SINGLE = /^bytes=(\d*)-(\d*)$/;

export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return { kind: 'full' };
  const m = SINGLE.exec(header.trim());
  // RFC 9110 lets a server ignore a Range it does not support; a 200 with everything is valid.
  if (!m) return { kind: 'full' };
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    // Suffix range: the last n bytes (all of them if n exceeds the size).
    const n = Number(last);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return { kind: 'unsatisfiable' };
  if (last === '') return { kind: 'partial', start, end: size - 1 };
  const end = Number(last);
  if (end < start) return { kind: 'full' };
  return { kind: 'partial', start, end: Math.min(end, size - 1) };
}

export function contentRange(start: number, end: number, size: number): string {
  return `bytes ${start}-${end}/${size}`;
}
