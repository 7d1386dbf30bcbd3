export class ColumnBatch {
    schema;
    capacity;
    columns;
    /** Rows filled so far. */
    length = 0;
    constructor(schema, capacity, utf8BytesPerRow = 16) {
        this.schema = schema;
        this.capacity = capacity;
        this.columns = schema.map((f) => allocate(f.type, capacity, utf8BytesPerRow));
    }
    /** Empties the batch for reuse; buffers are kept (and stay grown). */
    reset() {
        this.length = 0;
    }
    int32(i) {
        return this.columns[i];
    }
    float64(i) {
        return this.columns[i];
    }
    utf8(i) {
        return this.columns[i];
    }
}
function allocate(type, capacity, utf8BytesPerRow) {
    switch (type) {
        case 'int32':
        case 'date32':
            return new Int32Array(capacity);
        case 'int64':
        case 'float64':
            return new Float64Array(capacity);
        case 'utf8':
            return { offsets: new Int32Array(capacity + 1), bytes: new Uint8Array(capacity * utf8BytesPerRow) };
        case 'bool':
            throw new TypeError('bool columns are not used by the TPC-H generator');
    }
}
/**
 * Appends `len` bytes of `src` (from `start`) as value number `row` of a utf8 column.
 * Rows must be appended in order: offsets[row] must already be set (offsets[0] = 0).
 */
export function appendUtf8(col, row, src, start, len) {
    const at = col.offsets[row];
    const end = at + len;
    if (end > col.bytes.length) {
        const grown = new Uint8Array(Math.max(end, col.bytes.length * 2));
        grown.set(col.bytes.subarray(0, at));
        col.bytes = grown;
    }
    const bytes = col.bytes;
    for (let i = 0; i < len; i++)
        bytes[at + i] = src[start + i];
    col.offsets[row + 1] = end;
}
/** ASCII bytes of a string constant (TPC-H enumerations), for appendUtf8. */
export function asciiBytes(s) {
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++)
        out[i] = s.charCodeAt(i);
    return out;
}
//# sourceMappingURL=column-batch.js.map