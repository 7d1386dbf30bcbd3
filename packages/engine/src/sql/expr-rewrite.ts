/**
 * Structural helpers over the expression IR: identity keys (to match an ORDER BY expression to a
 * select item, or a select item to a GROUP BY expression) and top-down rewriting (to replace
 * grouped sub-expressions and aggregate calls by references to the aggregate's output columns).
 */
import { visitExpr, type Expr } from '../plan/expr.js';

/** Same key ⇔ same expression. Nodes are built by one set of constructors, so key order is stable. */
export function exprKey(e: Expr): string {
  return JSON.stringify(e);
}

/**
 * Rebuilds `e` top-down: where `replace` returns an expression, that subtree is replaced (and not
 * descended into); elsewhere children are rewritten and the node is rebuilt frozen.
 */
export function rewriteExpr(e: Expr, replace: (node: Expr) => Expr | undefined): Expr {
  const hit = replace(e);
  if (hit) return hit;
  const r = (x: Expr): Expr => rewriteExpr(x, replace);
  return visitExpr<Expr>(e, {
    column: (c) => c,
    literal: (l) => l,
    binary: (b) => Object.freeze({ ...b, left: r(b.left), right: r(b.right) }),
    not: (n) => Object.freeze({ ...n, arg: r(n.arg) }),
    negate: (n) => Object.freeze({ ...n, arg: r(n.arg) }),
    between: (b) => Object.freeze({ ...b, arg: r(b.arg), low: r(b.low), high: r(b.high) }),
    in: (i) => Object.freeze({ ...i, arg: r(i.arg) }),
    like: (l) => Object.freeze({ ...l, arg: r(l.arg) }),
    isNull: (i) => Object.freeze({ ...i, arg: r(i.arg) }),
    cast: (c) => Object.freeze({ ...c, arg: r(c.arg) }),
    call: (c) => Object.freeze({ ...c, args: Object.freeze(c.args.map(r)) }),
  });
}
