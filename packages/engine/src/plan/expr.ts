/**
 * Scalar expression IR: frozen data with a `kind` tag. The SQL front end produces it, the
 * planner splits it, and the WASM operator host evaluates it over whole Arrow batches. It is
 * also the wire form inside a `Fragment` (JSON), so every field is plain data.
 */
import type { DataType } from './types.js';

/** A literal value. date32 literals are days since the epoch; int64 literals are decimal strings. */
export type LiteralValue = number | string | boolean | null;

export type ArithmeticOp = '+' | '-' | '*' | '/';
export type ComparisonOp = '=' | '<>' | '<' | '<=' | '>' | '>=';
export type LogicalOp = 'and' | 'or';
export type BinaryOp = ArithmeticOp | ComparisonOp | LogicalOp;

export interface ColumnRef {
  readonly kind: 'column';
  readonly name: string;
}

export interface Literal {
  readonly kind: 'literal';
  readonly value: LiteralValue;
  readonly type: DataType;
}

export interface Binary {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}

export interface Not {
  readonly kind: 'not';
  readonly arg: Expr;
}

export interface Negate {
  readonly kind: 'negate';
  readonly arg: Expr;
}

export interface Between {
  readonly kind: 'between';
  readonly arg: Expr;
  readonly low: Expr;
  readonly high: Expr;
  readonly negated: boolean;
}

export interface InList {
  readonly kind: 'in';
  readonly arg: Expr;
  readonly list: readonly Literal[];
  readonly negated: boolean;
}

/** SQL LIKE. Patterns of the form 'abc%' run as a prefix kernel in WASM. */
export interface Like {
  readonly kind: 'like';
  readonly arg: Expr;
  readonly pattern: string;
  readonly negated: boolean;
}

export interface IsNull {
  readonly kind: 'isNull';
  readonly arg: Expr;
  readonly negated: boolean;
}

export interface Cast {
  readonly kind: 'cast';
  readonly arg: Expr;
  readonly to: DataType;
}

/**
 * A scalar UDF from plugin `plugin`, evaluated over whole batches by the plugin's module.
 * `args` already have the manifest's argument types; `type` is the manifest's result type.
 */
export interface Call {
  readonly kind: 'call';
  readonly name: string;
  readonly plugin: string;
  readonly args: readonly Expr[];
  readonly type: DataType;
}

export type Expr =
  ColumnRef | Literal | Binary | Not | Negate | Between | InList | Like | IsNull | Cast | Call;
export type ExprKind = Expr['kind'];

/** A handler per expression kind; adding a kind fails to compile until every visitor handles it. */
export type ExprVisitor<R> = { [K in ExprKind]: (e: Extract<Expr, { kind: K }>) => R };

export function visitExpr<R>(e: Expr, v: ExprVisitor<R>): R {
  return (v[e.kind] as (x: Expr) => R)(e);
}

export const col = (name: string): ColumnRef => Object.freeze({ kind: 'column', name });
export const lit = (value: LiteralValue, type: DataType): Literal =>
  Object.freeze({ kind: 'literal', value, type });
export const bin = (op: BinaryOp, left: Expr, right: Expr): Binary =>
  Object.freeze({ kind: 'binary', op, left, right });

/** Column names an expression reads, in first-seen order. */
export function columnsOf(e: Expr, out: string[] = []): string[] {
  visitExpr<void>(e, {
    column: (c) => {
      if (!out.includes(c.name)) out.push(c.name);
    },
    literal: () => {},
    binary: (b) => {
      columnsOf(b.left, out);
      columnsOf(b.right, out);
    },
    not: (n) => void columnsOf(n.arg, out),
    negate: (n) => void columnsOf(n.arg, out),
    between: (b) => {
      columnsOf(b.arg, out);
      columnsOf(b.low, out);
      columnsOf(b.high, out);
    },
    in: (i) => void columnsOf(i.arg, out),
    like: (l) => void columnsOf(l.arg, out),
    isNull: (i) => void columnsOf(i.arg, out),
    cast: (c) => void columnsOf(c.arg, out),
    call: (c) => c.args.forEach((a) => void columnsOf(a, out)),
  });
  return out;
}

/** Plugins an expression calls, in first-seen order. */
export function pluginsOf(e: Expr, out: string[] = []): string[] {
  const each = (...xs: readonly Expr[]): void => xs.forEach((x) => void pluginsOf(x, out));
  visitExpr<void>(e, {
    column: () => {},
    literal: () => {},
    binary: (b) => each(b.left, b.right),
    not: (n) => each(n.arg),
    negate: (n) => each(n.arg),
    between: (b) => each(b.arg, b.low, b.high),
    in: (i) => each(i.arg),
    like: (l) => each(l.arg),
    isNull: (i) => each(i.arg),
    cast: (c) => each(c.arg),
    call: (c) => {
      if (!out.includes(c.plugin)) out.push(c.plugin);
      each(...c.args);
    },
  });
  return out;
}

/** SQL-ish text of an expression, for EXPLAIN and error messages. */
export function exprToString(e: Expr): string {
  return visitExpr<string>(e, {
    column: (c) => c.name,
    literal: (l) =>
      l.value === null
        ? 'NULL'
        : l.type === 'utf8'
          ? `'${String(l.value).replace(/'/g, "''")}'`
          : l.type === 'date32'
            ? `DATE '${new Date(Number(l.value) * 86_400_000).toISOString().slice(0, 10)}'`
            : String(l.value),
    binary: (b) => `(${exprToString(b.left)} ${b.op.toUpperCase()} ${exprToString(b.right)})`,
    not: (n) => `(NOT ${exprToString(n.arg)})`,
    negate: (n) => `(-${exprToString(n.arg)})`,
    between: (b) =>
      `(${exprToString(b.arg)} ${b.negated ? 'NOT ' : ''}BETWEEN ${exprToString(b.low)} AND ${exprToString(b.high)})`,
    in: (i) =>
      `(${exprToString(i.arg)} ${i.negated ? 'NOT ' : ''}IN (${i.list.map(exprToString).join(', ')}))`,
    like: (l) => `(${exprToString(l.arg)} ${l.negated ? 'NOT ' : ''}LIKE '${l.pattern.replace(/'/g, "''")}')`,
    isNull: (i) => `(${exprToString(i.arg)} IS ${i.negated ? 'NOT ' : ''}NULL)`,
    cast: (c) => `CAST(${exprToString(c.arg)} AS ${c.to.toUpperCase()})`,
    call: (c) => `${c.name}(${c.args.map(exprToString).join(', ')})`,
  });
}
