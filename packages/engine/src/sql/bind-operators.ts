/**
 * Type checking, coercion and constant folding of operators over already-bound operands.
 *
 * - Comparisons: numbers with numbers, and like with like. A DATE compared with a string literal
 *   casts the string to a date (as DuckDB does); any other mix is an InvalidArgumentError.
 * - Arithmetic on two numeric literals folds exactly (scaled BigInt; see exact-decimal.ts).
 * - DATE literal ± INTERVAL folds to a DATE literal.
 */
import { InvalidArgumentError, PlanError } from '@pushdown/proto';
import { bin, lit, type ArithmeticOp, type ComparisonOp, type Literal } from '../plan/expr.js';
import { isNumericType, type DataType } from '../plan/types.js';
import { addInterval, parseDateLiteral } from './date-literal.js';
import {
  addExact,
  exactToNumber,
  exactToString,
  mulExact,
  negateExact,
  subExact,
  type ExactDecimal,
} from './exact-decimal.js';
import { arithmeticType, exprType } from './expr-type.js';
import { scopeTypes, type BindScope, type Bound, type BoundValue } from './bind-scope.js';

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

export function typeOf(b: BoundValue, scope: BindScope): DataType {
  return exprType(b.expr, scopeTypes(scope)).type;
}

export function value(b: Bound, scope: BindScope, offset: number | undefined, what: string): BoundValue {
  if (b.kind === 'value') return b;
  throw new PlanError(
    `INTERVAL can only be added to or subtracted from a DATE literal${scope.src.at(offset)}; found it ${what}`,
  );
}

/** An int64 literal: a number when it is exactly representable, else its decimal text. */
export function intLiteral(v: bigint, scope: BindScope, offset: number | undefined): Literal {
  if (v > INT64_MAX || v < INT64_MIN) {
    throw new InvalidArgumentError(`integer constant ${v} is out of the BIGINT range${scope.src.at(offset)}`);
  }
  const n = Number(v);
  return lit(Number.isSafeInteger(n) ? n : v.toString(), 'int64');
}

function literalOf(b: BoundValue): Literal | undefined {
  return b.expr.kind === 'literal' ? b.expr : undefined;
}

/** Makes two comparison operands comparable; returns them (possibly with a literal re-typed). */
export function coerceComparable(
  l: BoundValue,
  r: BoundValue,
  scope: BindScope,
  offset: number | undefined,
  what: string,
): [BoundValue, BoundValue] {
  const lt = typeOf(l, scope);
  const rt = typeOf(r, scope);
  const adapt = (from: BoundValue, to: DataType): BoundValue | undefined => {
    const litv = literalOf(from);
    if (!litv) return undefined;
    if (litv.value === null) return { ...from, expr: lit(null, to) };
    if (to === 'date32' && litv.type === 'utf8') {
      const days = parseDateLiteral(String(litv.value));
      if (days === undefined) {
        throw new InvalidArgumentError(
          `cannot compare a DATE with '${String(litv.value)}'${scope.src.at(offset)}: expected a date as 'YYYY-MM-DD'`,
        );
      }
      return { ...from, expr: lit(days, 'date32') };
    }
    return undefined;
  };
  if (lt === rt || (isNumericType(lt) && isNumericType(rt))) return [l, r];
  const r2 = adapt(r, lt);
  if (r2) return [l, r2];
  const l2 = adapt(l, rt);
  if (l2) return [l2, r];
  throw new InvalidArgumentError(
    `cannot compare ${l.name} (${lt}) with ${r.name} (${rt}) in ${what}${scope.src.at(offset)}` +
      (rt === 'utf8' || lt === 'utf8' ? '; compare numbers with numbers and text with quoted strings' : ''),
  );
}

export function bindComparison(
  op: ComparisonOp,
  l: BoundValue,
  r: BoundValue,
  scope: BindScope,
  offset: number | undefined,
): BoundValue {
  const shown = op === '<>' ? '!=' : op;
  const name = `(${l.name} ${shown} ${r.name})`;
  const [l2, r2] = coerceComparable(l, r, scope, offset, name);
  return { kind: 'value', expr: bin(op, l2.expr, r2.expr), name };
}

export function bindLogical(
  op: 'and' | 'or',
  l: BoundValue,
  r: BoundValue,
  scope: BindScope,
  offset?: number,
): BoundValue {
  const name = `(${l.name} ${op.toUpperCase()} ${r.name})`;
  requireBool(l, scope, offset, name);
  requireBool(r, scope, offset, name);
  return { kind: 'value', expr: bin(op, l.expr, r.expr), name };
}

export function requireBool(
  b: BoundValue,
  scope: BindScope,
  offset: number | undefined,
  context: string,
): void {
  const t = typeOf(b, scope);
  if (t !== 'bool' && !(b.expr.kind === 'literal' && b.expr.value === null)) {
    throw new InvalidArgumentError(
      `expected a boolean condition but ${b.name} is ${t} in ${context}${scope.src.at(offset)}`,
    );
  }
}

export function requireNumeric(
  b: BoundValue,
  scope: BindScope,
  offset: number | undefined,
  context: string,
): DataType {
  const t = typeOf(b, scope);
  if (!isNumericType(t) && !(b.expr.kind === 'literal' && b.expr.value === null)) {
    throw new InvalidArgumentError(
      `expected a number but ${b.name} is ${t} in ${context}${scope.src.at(offset)}`,
    );
  }
  return t;
}

export function bindArithmetic(
  op: ArithmeticOp,
  l: Bound,
  r: Bound,
  scope: BindScope,
  offset: number | undefined,
): BoundValue {
  const name = `(${l.name} ${op} ${r.name})`;
  if (l.kind === 'interval' || r.kind === 'interval') return foldDateInterval(op, l, r, scope, offset, name);
  const lt = requireNumeric(l, scope, offset, name);
  const rt = requireNumeric(r, scope, offset, name);
  if (l.exact && r.exact) {
    if (op === '/') {
      if (r.exact.digits === 0n) return { kind: 'value', expr: lit(null, 'float64'), name };
      return { kind: 'value', expr: lit(exactToNumber(l.exact) / exactToNumber(r.exact), 'float64'), name };
    }
    const exact =
      op === '+'
        ? addExact(l.exact, r.exact)
        : op === '-'
          ? subExact(l.exact, r.exact)
          : mulExact(l.exact, r.exact);
    return { kind: 'value', expr: numericLiteral(exact, arithmeticType(lt, rt), scope, offset), name, exact };
  }
  return { kind: 'value', expr: bin(op, l.expr, r.expr), name };
}

export function numericLiteral(
  x: ExactDecimal,
  type: DataType,
  scope: BindScope,
  offset: number | undefined,
): Literal {
  if (type === 'int64' || type === 'int32')
    return intLiteral(x.digits / 10n ** BigInt(x.scale), scope, offset);
  return lit(exactToNumber(x), 'float64');
}

export function bindNegate(arg: Bound, scope: BindScope, offset: number | undefined): BoundValue {
  const a = value(arg, scope, offset, 'under a unary minus');
  requireNumeric(a, scope, offset, `-(${a.name})`);
  if (a.exact && a.expr.kind === 'literal') {
    const exact = negateExact(a.exact);
    // DuckDB names a negated number literal by its value (`-1`), anything else as `-(x)`.
    return {
      kind: 'value',
      expr: numericLiteral(exact, a.expr.type, scope, offset),
      name: exactToString(exact),
      exact,
    };
  }
  return { kind: 'value', expr: Object.freeze({ kind: 'negate', arg: a.expr }), name: `-(${a.name})` };
}

function foldDateInterval(
  op: ArithmeticOp,
  l: Bound,
  r: Bound,
  scope: BindScope,
  offset: number | undefined,
  name: string,
): BoundValue {
  const [date, iv, sign] =
    r.kind === 'interval' && l.kind === 'value' && (op === '+' || op === '-')
      ? [l, r, op === '+' ? 1 : -1]
      : l.kind === 'interval' && r.kind === 'value' && op === '+'
        ? [r, l, 1]
        : [undefined, undefined, 1];
  if (!date || !iv) {
    throw new PlanError(
      `${name} is not supported${scope.src.at(offset)}; only DATE literal + INTERVAL or DATE literal - INTERVAL`,
    );
  }
  const literal = literalOf(date);
  if (!literal || literal.type !== 'date32' || typeof literal.value !== 'number') {
    throw new PlanError(
      `date arithmetic on ${date.name} is not supported yet${scope.src.at(offset)}; only DATE 'yyyy-mm-dd' ± INTERVAL folds to a constant`,
    );
  }
  const days = addInterval(literal.value, iv.interval, sign as 1 | -1);
  return { kind: 'value', expr: lit(days, 'date32'), name };
}
