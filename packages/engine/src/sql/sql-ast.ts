/**
 * The parts of node-sql-parser's (PostgreSQL dialect) AST that the binder reads. The library's
 * own typings are looser than its output and miss fields (`loc` offsets, `parentheses`), so these
 * narrow views are written against what `astify` actually returns for version 5.4.
 */

export interface AstLoc {
  readonly start: { readonly offset: number; readonly line: number; readonly column: number };
  readonly end: { readonly offset: number; readonly line: number; readonly column: number };
}

/** Any expression node; `type` selects which of the views below applies. */
export interface AstExpr {
  readonly type: string;
  readonly loc?: AstLoc;
  readonly parentheses?: boolean;
  readonly [key: string]: unknown;
}

export interface AstColumnRef extends AstExpr {
  readonly type: 'column_ref';
  readonly table: string | { readonly value: string } | null;
  /** `'*'` for `*` and `t.*`. */
  readonly column: string | { readonly expr: { readonly type: string; readonly value: string } };
}

export interface AstBinary extends AstExpr {
  readonly type: 'binary_expr';
  readonly operator: string;
  readonly left: AstExpr;
  readonly right: AstExpr;
}

export interface AstUnary extends AstExpr {
  readonly type: 'unary_expr';
  readonly operator: string;
  readonly expr: AstExpr;
}

export interface AstExprList extends AstExpr {
  readonly type: 'expr_list';
  readonly value: readonly AstExpr[];
}

export interface AstAggregate extends AstExpr {
  readonly type: 'aggr_func';
  readonly name: string;
  readonly args: { readonly expr: AstExpr; readonly distinct?: string | null };
  readonly over: unknown;
  readonly filter?: unknown;
}

export interface AstFunction extends AstExpr {
  readonly type: 'function';
  readonly name: { readonly name: readonly { readonly value: string }[] };
  readonly args?: AstExprList;
  readonly over?: unknown;
}

export interface AstCast extends AstExpr {
  readonly type: 'cast';
  readonly expr: AstExpr;
  readonly target: readonly { readonly dataType: string }[];
}

export interface AstInterval extends AstExpr {
  readonly type: 'interval';
  readonly expr: AstExpr;
  readonly unit: string;
}

export interface AstSelectItem {
  readonly type?: string;
  readonly expr: AstExpr;
  readonly as: string | null;
}

export interface AstFrom {
  readonly db?: string | null;
  readonly table?: string;
  readonly as?: string | null;
  readonly join?: string;
  readonly expr?: unknown;
}

export interface AstOrderItem {
  readonly expr: AstExpr;
  readonly type: 'ASC' | 'DESC' | null;
  readonly nulls: string | null;
}

export interface AstSelect {
  readonly type: 'select';
  readonly with: unknown;
  readonly distinct: { readonly type: string | null } | string | null;
  readonly columns: readonly AstSelectItem[];
  readonly from: readonly AstFrom[] | null;
  readonly where: AstExpr | null;
  readonly groupby: { readonly columns: readonly AstExpr[] | null } | null;
  readonly having: AstExpr | null;
  readonly orderby: readonly AstOrderItem[] | null;
  readonly limit: { readonly seperator: string; readonly value: readonly AstExpr[] } | null;
  readonly window: unknown;
  readonly into?: { readonly position: unknown } | null;
  readonly _next?: unknown;
  readonly set_op?: string;
}
