/**
 * Result types of expressions and the coercion rules the evaluator applies: numeric operands
 * widen int32 < int64 < float64, date32 compares with date32 (or a date string literal), utf8
 * with utf8 (bytewise). `/` always yields float64 (as in DuckDB); other integer arithmetic
 * yields int64. Mismatches are InvalidArgumentErrors that quote the expression.
 */
import { InvalidArgumentError } from '@pushdown/proto';
import { exprToString, visitExpr, type Expr } from '../plan/expr.js';
import { isNumericType, type DataType, type Schema } from '../plan/types.js';

const COMPARISONS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/']);

export function isComparisonOp(op: string): op is '=' | '<>' | '<' | '<=' | '>' | '>=' {
  return COMPARISONS.has(op);
}

export function isArithmeticOp(op: string): op is '+' | '-' | '*' | '/' {
  return ARITHMETIC.has(op);
}

/** The wider of two numeric types. */
export function widerNumeric(a: DataType, b: DataType): DataType {
  if (a === 'float64' || b === 'float64') return 'float64';
  if (a === 'int64' || b === 'int64') return 'int64';
  return 'int32';
}

const isNullLiteral = (e: Expr): boolean => e.kind === 'literal' && e.value === null;

/**
 * The type both sides of a comparison are compared in, or an InvalidArgumentError. A NULL
 * literal takes the other side's type; a utf8 literal next to a date32 is read as a date.
 */
export function comparisonType(left: Expr, lt: DataType, right: Expr, rt: DataType, whole: Expr): DataType {
  if (isNullLiteral(left)) return rt;
  if (isNullLiteral(right)) return lt;
  if (isNumericType(lt) && isNumericType(rt)) return widerNumeric(lt, rt);
  if (lt === rt) return lt;
  if (lt === 'date32' && rt === 'utf8' && right.kind === 'literal') return 'date32';
  if (rt === 'date32' && lt === 'utf8' && left.kind === 'literal') return 'date32';
  throw new InvalidArgumentError(`cannot compare ${lt} with ${rt} in ${exprToString(whole)}`, {
    hint: 'cast one side so both have the same type',
  });
}

/** Result type of `expr` over rows of `schema`. */
export function inferExprType(expr: Expr, schema: Schema): DataType {
  const type = (e: Expr): DataType => inferExprType(e, schema);
  const wantBool = (e: Expr, whole: Expr): void => {
    const t = type(e);
    if (t !== 'bool' && !isNullLiteral(e)) {
      throw new InvalidArgumentError(
        `expected a boolean but ${exprToString(e)} is ${t} in ${exprToString(whole)}`,
      );
    }
  };
  const wantNumeric = (e: Expr, whole: Expr): DataType => {
    const t = type(e);
    if (!isNumericType(t) && !isNullLiteral(e)) {
      throw new InvalidArgumentError(
        `expected a number but ${exprToString(e)} is ${t} in ${exprToString(whole)}`,
      );
    }
    return isNullLiteral(e) ? 'int32' : t;
  };
  return visitExpr<DataType>(expr, {
    column: (c) => {
      const f = schema.find((x) => x.name === c.name);
      if (!f) {
        throw new InvalidArgumentError(`unknown column "${c.name}"`, {
          hint: `available: ${schema.map((x) => x.name).join(', ')}`,
        });
      }
      return f.type;
    },
    literal: (l) => l.type,
    binary: (b) => {
      if (b.op === 'and' || b.op === 'or') {
        wantBool(b.left, b);
        wantBool(b.right, b);
        return 'bool';
      }
      if (isComparisonOp(b.op)) {
        comparisonType(b.left, type(b.left), b.right, type(b.right), b);
        return 'bool';
      }
      const l = wantNumeric(b.left, b);
      const r = wantNumeric(b.right, b);
      if (b.op === '/') return 'float64';
      return widerNumeric(widerNumeric(l, r), 'int64');
    },
    not: (n) => {
      wantBool(n.arg, n);
      return 'bool';
    },
    negate: (n) => wantNumeric(n.arg, n),
    between: (b) => {
      const t = type(b.arg);
      comparisonType(b.arg, t, b.low, type(b.low), b);
      comparisonType(b.arg, t, b.high, type(b.high), b);
      return 'bool';
    },
    in: (i) => {
      const t = type(i.arg);
      for (const item of i.list) comparisonType(i.arg, t, item, item.type, i);
      return 'bool';
    },
    like: (l) => {
      const t = type(l.arg);
      if (t !== 'utf8' && !isNullLiteral(l.arg)) {
        throw new InvalidArgumentError(
          `LIKE needs a string but ${exprToString(l.arg)} is ${t} in ${exprToString(l)}`,
        );
      }
      return 'bool';
    },
    isNull: (i) => {
      type(i.arg);
      return 'bool';
    },
    cast: (c) => {
      const from = type(c.arg);
      const ok =
        from === c.to ||
        isNullLiteral(c.arg) ||
        ((isNumericType(from) || from === 'bool') && (isNumericType(c.to) || c.to === 'bool')) ||
        (from === 'utf8' && c.to !== 'bool') ||
        (c.to === 'utf8' && from !== 'bool');
      if (!ok) throw new InvalidArgumentError(`cannot cast ${from} to ${c.to} in ${exprToString(c)}`);
      return c.to;
    },
    call: (c) => {
      for (const a of c.args) type(a);
      return c.type;
    },
  });
}
