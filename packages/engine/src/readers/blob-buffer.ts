/**
 * hyparquet's AsyncBuffer over a Blob: byte ranges are read lazily (`blob.slice(a, b)`), so a
 * footer read touches only the end of a file-backed Blob.
 */
export interface AsyncBuffer {
  readonly byteLength: number;
  slice(start: number, end?: number): Promise<ArrayBuffer>;
}

export function asyncBufferOf(blob: Blob): AsyncBuffer {
  return {
    byteLength: blob.size,
    slice: (start, end) => blob.slice(start, end ?? blob.size).arrayBuffer(),
  };
}
