/**
 * Turns a negative parse() status of the CSV parser into the CorruptDataError a user can act on:
 * line number, column name, the offending value.
 */
import { CorruptDataError } from '@pushdown/proto';
import { ParseStatus, type CsvWasmInstance } from './csv-wasm.js';

export interface CsvErrorContext {
  readonly names: readonly string[];
  /** Operator-memory address of the input chunk and the object offset of its first byte. */
  readonly inputPtr: number;
  readonly inputObjectOffset: number;
  /** Why types are what they are, for bad-value hints. */
  readonly inferred: boolean;
  readonly types: readonly string[];
}

const MAX_SHOWN = 60;

export function csvParseError(status: number, w: CsvWasmInstance, ctx: CsvErrorContext): CorruptDataError {
  const e = w.exports;
  const line = e.errLine();
  const colName = ctx.names[e.errCol()] ?? `#${e.errCol() + 1}`;
  const objectOffset = (ptr: number): number => ptr - ctx.inputPtr + ctx.inputObjectOffset;
  switch (status) {
    case ParseStatus.ERR_FIELD_COUNT:
      return new CorruptDataError(`line ${line}: expected ${ctx.names.length} fields, found ${e.errFound()}`);
    case ParseStatus.ERR_UNTERMINATED:
      return new CorruptDataError(
        `line ${line}: unterminated quoted field starting at column ${colName} (byte ${objectOffset(e.errStart())} of the object)`,
      );
    case ParseStatus.ERR_AFTER_QUOTE:
      return new CorruptDataError(
        `line ${line}, column ${colName}: unexpected character after the closing quote: ${shown(w, e.errStart(), e.errEnd())}`,
        { hint: 'a quote inside a quoted field must be doubled ("")' },
      );
    case ParseStatus.ERR_BAD_VALUE: {
      const type = ctx.types[e.errCol()] ?? '?';
      return new CorruptDataError(
        `line ${line}, column ${colName}: ${shown(w, e.errStart(), e.errEnd())} is not a ${type}`,
        {
          ...(ctx.inferred
            ? {
                hint: `the type was inferred from a sample of the file; declare the schema when putting the object to read it differently`,
              }
            : {}),
        },
      );
    }
    default:
      return new CorruptDataError(`CSV parser failed with status ${status}`);
  }
}

function shown(w: CsvWasmInstance, start: number, end: number): string {
  const bytes = w.u8().subarray(start, Math.min(end, start + MAX_SHOWN));
  const text = new TextDecoder().decode(bytes);
  return `'${text}${end - start > MAX_SHOWN ? '…' : ''}'`;
}
