/**
 * CAST(x AS type) and x::type. Numeric columns cast between numeric types; literals fold at plan
 * time (CAST('1998-12-01' AS DATE) becomes a DATE literal, CAST(2.5 AS INTEGER) becomes 3,
 * rounding half away from zero like DuckDB). Casts of text columns are not supported.
 */
import { InvalidArgumentError, PlanError } from '@pushdown/proto';
import { lit } from '../plan/expr.js';
import { isNumericType, type DataType } from '../plan/types.js';
import { parseDateLiteral } from './date-literal.js';
import { exactToNumber, parseExactDecimal } from './exact-decimal.js';
import { intLiteral, typeOf } from './bind-operators.js';
import type { BindScope, BoundValue } from './bind-scope.js';
import type { AstCast } from './sql-ast.js';

/** DuckDB's names for our types, used in display names: CAST(x AS DOUBLE). */
export const SQL_TYPE_NAMES: Record<DataType, string> = {
  bool: 'BOOLEAN',
  int32: 'INTEGER',
  int64: 'BIGINT',
  float64: 'DOUBLE',
  date32: 'DATE',
  utf8: 'VARCHAR',
};

function targetType(t: { dataType: string; length?: number }): DataType | undefined {
  const name = t.dataType.toUpperCase();
  switch (name) {
    case 'INT':
    case 'INTEGER':
      return t.length === 8 ? 'int64' : 'int32';
    case 'INT4':
    case 'SMALLINT':
    case 'INT2':
    case 'TINYINT':
      return 'int32';
    case 'BIGINT':
    case 'INT8':
      return 'int64';
    case 'DOUBLE':
    case 'DOUBLE PRECISION':
    case 'FLOAT':
    case 'FLOAT4':
    case 'FLOAT8':
    case 'REAL':
    case 'DECIMAL':
    case 'NUMERIC':
      return 'float64';
    case 'DATE':
      return 'date32';
    default:
      return undefined;
  }
}

export function bindCast(node: AstCast, arg: BoundValue, scope: BindScope): BoundValue {
  const at = node.loc?.start.offset ?? scope.src.findKeyword('cast', 0, scope.range) ?? scope.range?.start;
  const target = node.target[0] as { dataType: string; length?: number } | undefined;
  const to = target ? targetType(target) : undefined;
  if (!target || !to) {
    throw new PlanError(
      `CAST to ${target?.dataType ?? 'this type'} is not supported${scope.src.at(at)}; cast to INTEGER, BIGINT, DOUBLE, DECIMAL or DATE`,
    );
  }
  const name = `CAST(${arg.name} AS ${SQL_TYPE_NAMES[to]})`;
  const from = typeOf(arg, scope);
  const e = arg.expr;
  if (e.kind === 'literal') {
    if (e.value === null) return { kind: 'value', expr: lit(null, to), name };
    const folded = foldLiteralCast(e.value, from, to);
    if (folded === undefined) {
      throw new InvalidArgumentError(`cannot cast ${arg.name} to ${SQL_TYPE_NAMES[to]}${scope.src.at(at)}`);
    }
    const expr =
      typeof folded === 'bigint'
        ? to === 'int64'
          ? intLiteral(folded, scope, at)
          : lit(Number(folded), to)
        : lit(folded, to);
    return { kind: 'value', expr, name };
  }
  if (from === to) return { ...arg, name };
  if (!isNumericType(from) || !isNumericType(to)) {
    throw new PlanError(
      `CAST from ${SQL_TYPE_NAMES[from]} to ${SQL_TYPE_NAMES[to]} is not supported${scope.src.at(at)}; columns cast between numeric types only`,
    );
  }
  return { kind: 'value', expr: Object.freeze({ kind: 'cast', arg: e, to }), name };
}

/** The folded value of a literal cast: days for dates, a bigint for integers, else a number. */
function foldLiteralCast(
  v: number | string | boolean,
  from: DataType,
  to: DataType,
): number | bigint | undefined {
  if (to === 'date32') {
    if (from === 'date32') return v as number;
    return from === 'utf8' ? parseDateLiteral(String(v)) : undefined;
  }
  if (from !== 'utf8' && !isNumericType(from)) return undefined;
  const exact = parseExactDecimal(String(v));
  if (!exact) return undefined;
  if (to === 'float64') return exactToNumber(exact);
  // Round half away from zero, as DuckDB does for DECIMAL/DOUBLE → INTEGER.
  const scale = 10n ** BigInt(exact.scale);
  const abs = exact.digits < 0n ? -exact.digits : exact.digits;
  const q = abs / scale + ((abs % scale) * 2n >= scale && exact.scale > 0 ? 1n : 0n);
  const rounded = exact.digits < 0n ? -q : q;
  if (to === 'int32' && (rounded > 2147483647n || rounded < -2147483648n)) return undefined;
  return rounded;
}
