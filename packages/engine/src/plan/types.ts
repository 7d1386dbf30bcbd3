/**
 * Logical column types shared by both tiers.
 *
 * Physical Arrow types: bool → Bool, int32 → Int32, int64 → Int64 (BigInt64Array),
 * float64 → Float64, date32 → DateDay (days since 1970-01-01, Int32Array), utf8 → Utf8.
 * Decimals in user files are read as float64 (documented in the README): TPC-H money columns
 * are generated as float64 too.
 */
export type DataType = 'bool' | 'int32' | 'int64' | 'float64' | 'date32' | 'utf8';

export const DATA_TYPES: readonly DataType[] = ['bool', 'int32', 'int64', 'float64', 'date32', 'utf8'];

export interface Field {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
}

export type Schema = readonly Field[];

export function isNumericType(t: DataType): boolean {
  return t === 'int32' || t === 'int64' || t === 'float64';
}
