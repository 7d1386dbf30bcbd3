/**
 * Evaluates the expression IR over one batch slice (at most CHUNK_ROWS rows) with the WASM
 * kernels: columns are copied into operator memory once per slice, every intermediate stays
 * there, and only results the caller asks for are copied out. SQL semantics: three-valued
 * logic, NULL propagation, division by zero gives NULL (as DuckDB does).
 */
import type { RecordBatch } from 'apache-arrow';
import { InvalidArgumentError } from '@pushdown/proto';
import { bin, exprToString, type Binary, type Expr, type Like } from '../plan/expr.js';
import type { DataType, Schema } from '../plan/types.js';
import { ARITH, CMP, FLIPPED_CMP } from '../wasm/abi.js';
import type { OperatorHost } from '../wasm/operator-host.js';
import { columnData, type JsValue } from './arrow-columns.js';
import { comparisonType, inferExprType, isComparisonOp } from './expr-type.js';
import { castValue, compareValues, foldArithmetic, likeToRegExp, parseDate } from './scalar-values.js';
import { evalUdfCall, udfSignature } from './udf-call.js';
import { konst, vec, WasmValues, type WConst, type WVal, type WVec } from './wasm-values.js';

type CmpOp = keyof typeof CMP;

export class ExprEvaluator {
  readonly vals: WasmValues;
  private readonly columns = new Map<string, WVec>();

  constructor(
    readonly host: OperatorHost,
    readonly batch: RecordBatch,
    readonly schema: Schema,
    operator: string,
  ) {
    this.vals = new WasmValues(host, batch.numRows, operator);
  }

  get n(): number {
    return this.batch.numRows;
  }

  column(name: string): WVec {
    let v = this.columns.get(name);
    if (!v) {
      const i = this.schema.findIndex((f) => f.name === name);
      if (i < 0) {
        throw new InvalidArgumentError(`unknown column "${name}"`, {
          hint: `available: ${this.schema.map((f) => f.name).join(', ')}`,
        });
      }
      v = this.vals.copyIn(columnData(this.batch, i), this.schema[i]!.type);
      this.columns.set(name, v);
    }
    return v;
  }

  /**
   * Byte mask of the rows where `pred` is TRUE (0 = every row), and how many there are.
   * This is the filter operator's output; aggregates consume the mask in place.
   */
  keep(pred: Expr): { mask: number; count: number } {
    const t = inferExprType(pred, this.schema);
    if (t !== 'bool')
      throw new InvalidArgumentError(`a filter must be boolean but ${exprToString(pred)} is ${t}`);
    const v = this.eval(pred);
    const n = this.n;
    if (v.kind === 'const')
      return v.value === true ? { mask: 0, count: n } : { mask: this.vals.fillMask(0), count: 0 };
    let mask = v.values;
    if (v.validity !== 0) {
      mask = this.vals.alloc(n);
      this.host.filter.mask_and(v.values, v.validity, n, mask);
    }
    return { mask, count: this.host.filter.mask_count(mask, n) };
  }

  eval(e: Expr): WVal {
    switch (e.kind) {
      case 'column':
        return this.column(e.name);
      case 'literal':
        return konst(
          e.type,
          e.type === 'int64' && e.value !== null ? BigInt(e.value as string | number) : e.value,
        );
      case 'binary':
        return this.binary(e);
      case 'not':
        return this.not(this.eval(e.arg));
      case 'negate':
        return this.negate(this.eval(e.arg), e);
      case 'between': {
        const both = bin('and', bin('>=', e.arg, e.low), bin('<=', e.arg, e.high));
        return e.negated ? this.not(this.eval(both)) : this.eval(both);
      }
      case 'in': {
        if (e.list.length === 0) return konst('bool', e.negated);
        const any = e.list.map((item) => bin('=', e.arg, item) as Expr).reduce((a, b) => bin('or', a, b));
        return e.negated ? this.not(this.eval(any)) : this.eval(any);
      }
      case 'like':
        return this.like(e);
      case 'isNull': {
        const v = this.eval(e.arg);
        if (v.kind === 'const') return konst('bool', (v.value === null) !== e.negated);
        if (v.validity === 0) return konst('bool', e.negated);
        if (e.negated) return vec('bool', v.validity, 0);
        const out = this.vals.alloc(this.n);
        this.host.filter.mask_not(v.validity, this.n, out);
        return vec('bool', out, 0);
      }
      case 'cast':
        return this.cast(this.eval(e.arg), e.to, e);
      case 'call': {
        const fn = udfSignature(e);
        const args = e.args.map((a, i) => this.coerce(this.eval(a), fn.args[i] ?? e.type));
        return evalUdfCall(this.vals, e, fn, args);
      }
    }
  }

  private binary(e: Binary): WVal {
    if (e.op === 'and' || e.op === 'or') return this.logical(e.op, this.eval(e.left), this.eval(e.right));
    const lt = inferExprType(e.left, this.schema);
    const rt = inferExprType(e.right, this.schema);
    if (isComparisonOp(e.op)) {
      const t = comparisonType(e.left, lt, e.right, rt, e);
      return this.compare(e.op, this.coerce(this.eval(e.left), t), this.coerce(this.eval(e.right), t));
    }
    const resultType = inferExprType(e, this.schema);
    const t = e.op === '/' ? 'float64' : resultType;
    return this.arithmetic(e.op, this.coerce(this.eval(e.left), t), this.coerce(this.eval(e.right), t), t);
  }

  /** Widen a value to `t` (numeric widening, date strings to date32). */
  coerce(v: WVal, t: DataType): WVal {
    if (v.type === t) return v;
    if (v.kind === 'const') {
      if (v.value === null) return konst(t, null);
      if (t === 'date32' && v.type === 'utf8') return konst(t, parseDate(String(v.value)));
      return konst(t, castValue(v.value, v.type, t));
    }
    const n = this.n;
    const p = this.host.project;
    if (t === 'float64' && (v.type === 'int32' || v.type === 'int64')) {
      const out = this.vals.alloc(8 * n);
      if (v.type === 'int32') p.i32_to_f64(v.values, n, out);
      else p.i64_to_f64(v.values, n, out);
      return vec(t, out, v.validity);
    }
    if (t === 'int64' && v.type === 'int32') {
      const out = this.vals.alloc(8 * n);
      p.i32_to_i64(v.values, n, out);
      return vec(t, out, v.validity);
    }
    return this.castInJs(v, t);
  }

  private compare(op: CmpOp, l: WVal, r: WVal): WVal {
    if (l.kind === 'const' && r.kind === 'const') {
      if (l.value === null || r.value === null) return konst('bool', null);
      return konst('bool', cmpResult(op, compareValues(l.value, r.value)));
    }
    if ((l.kind === 'const' && l.value === null) || (r.kind === 'const' && r.value === null))
      return konst('bool', null);
    if (l.kind === 'const') return this.compare(FLIPPED_CMP[op], r, l);
    const n = this.n;
    const f = this.host.filter;
    const out = this.vals.alloc(n);
    const code = CMP[op];
    if (r.kind === 'const') {
      switch (l.type) {
        case 'float64':
          f.cmp_f64_s(code, l.values, Number(r.value), n, out);
          break;
        case 'int64':
          f.cmp_i64_s(code, l.values, BigInt(r.value as bigint), n, out);
          break;
        case 'int32':
        case 'date32':
          f.cmp_i32_s(code, l.values, Number(r.value), n, out);
          break;
        case 'utf8': {
          const [s, sl] = this.vals.writeString(String(r.value));
          f.cmp_utf8_s(code, l.values, l.data, s, sl, n, out);
          break;
        }
        case 'bool':
          return this.compare(op, l, this.vals.materialize(r));
      }
      return vec('bool', out, l.validity);
    }
    switch (l.type) {
      case 'float64':
        f.cmp_f64(code, l.values, r.values, n, out);
        break;
      case 'int64':
        f.cmp_i64(code, l.values, r.values, n, out);
        break;
      case 'int32':
      case 'date32':
        f.cmp_i32(code, l.values, r.values, n, out);
        break;
      case 'utf8':
        f.cmp_utf8(code, l.values, l.data, r.values, r.data, n, out);
        break;
      case 'bool': {
        // Rare: compare the 0/1 truth values in JS, straight over operator memory.
        const u8 = this.vals.mem.u8;
        for (let i = 0; i < n; i++) {
          const a = u8[l.values + i]! & 1;
          const b = u8[r.values + i]! & 1;
          u8[out + i] = cmpResult(op, a - b) ? 0xff : 0;
        }
      }
    }
    return vec('bool', out, this.andValidity(l.validity, r.validity));
  }

  private andValidity(a: number, b: number): number {
    if (a === 0) return b;
    if (b === 0) return a;
    const out = this.vals.alloc(this.n);
    this.host.filter.mask_and(a, b, this.n, out);
    return out;
  }

  private arithmetic(op: keyof typeof ARITH, l: WVal, r: WVal, t: DataType): WVal {
    if (l.kind === 'const' && r.kind === 'const') return konst(t, foldArithmetic(op, l.value, r.value, t));
    if ((l.kind === 'const' && l.value === null) || (r.kind === 'const' && r.value === null))
      return konst(t, null);
    const n = this.n;
    const p = this.host.project;
    const out = this.vals.alloc(8 * n);
    const code = ARITH[op];
    let validity: number;
    if (l.kind === 'vec' && r.kind === 'vec') {
      if (t === 'float64') p.arith_f64(code, l.values, r.values, n, out);
      else p.arith_i64(code, l.values, r.values, n, out);
      validity = this.andValidity(l.validity, r.validity);
    } else {
      const col = (l.kind === 'vec' ? l : r) as WVec;
      const c = (l.kind === 'const' ? l : r) as WConst;
      const rev = l.kind === 'const' ? 1 : 0;
      if (op === '/' && !rev && Number(c.value) === 0) return konst(t, null);
      if (t === 'float64') p.arith_f64_s(code, col.values, Number(c.value), rev, n, out);
      else p.arith_i64_s(code, col.values, BigInt(c.value as bigint), rev, n, out);
      validity = col.validity;
    }
    if (op === '/' && r.kind === 'vec') {
      const nz = this.vals.alloc(n);
      p.nonzero_f64(r.values, n, nz);
      validity = this.andValidity(validity, nz);
    }
    return vec(t, out, validity);
  }

  private logical(op: 'and' | 'or', l: WVal, r: WVal): WVal {
    const absorbing = op === 'or'; // TRUE absorbs OR, FALSE absorbs AND
    if (l.kind === 'const' && r.kind === 'const') {
      const a = l.value as boolean | null;
      const b = r.value as boolean | null;
      if (a === absorbing || b === absorbing) return konst('bool', absorbing);
      return konst('bool', a === null || b === null ? null : !absorbing);
    }
    if (l.kind === 'const') [l, r] = [r, l];
    if (r.kind === 'const') {
      if (r.value === absorbing) return konst('bool', absorbing);
      if (r.value === !absorbing) return l;
    }
    const a = this.vals.materialize(l);
    const b = this.vals.materialize(r);
    const n = this.n;
    const f = this.host.filter;
    const outV = this.vals.alloc(n);
    if (a.validity === 0 && b.validity === 0) {
      if (op === 'and') f.mask_and(a.values, b.values, n, outV);
      else f.mask_or(a.values, b.values, n, outV);
      return vec('bool', outV, 0);
    }
    const outM = this.vals.alloc(n);
    const ma = a.validity || this.host.allOnes;
    const mb = b.validity || this.host.allOnes;
    if (op === 'and') f.kleene_and(a.values, ma, b.values, mb, n, outV, outM);
    else f.kleene_or(a.values, ma, b.values, mb, n, outV, outM);
    return vec('bool', outV, outM);
  }

  private not(v: WVal): WVal {
    if (v.kind === 'const') return konst('bool', v.value === null ? null : !v.value);
    const out = this.vals.alloc(this.n);
    this.host.filter.mask_not(v.values, this.n, out);
    return vec('bool', out, v.validity);
  }

  private negate(v: WVal, e: Expr): WVal {
    if (v.kind === 'const')
      return konst(v.type, foldArithmetic('-', v.type === 'int64' ? 0n : 0, v.value, v.type));
    const n = this.n;
    if (v.type === 'float64' || v.type === 'int64') {
      const out = this.vals.alloc(8 * n);
      if (v.type === 'float64') this.host.project.arith_f64_s(ARITH['-'], v.values, 0, 1, n, out);
      else this.host.project.arith_i64_s(ARITH['-'], v.values, 0n, 1, n, out);
      return vec(v.type, out, v.validity);
    }
    if (v.type !== 'int32') throw new InvalidArgumentError(`cannot negate ${v.type} in ${exprToString(e)}`);
    const out = this.vals.alloc(4 * n);
    const i32 = this.vals.mem.i32;
    for (let i = 0; i < n; i++) i32[(out >> 2) + i] = -i32[(v.values >> 2) + i]! | 0;
    return vec('int32', out, v.validity);
  }

  private like(e: Like): WVal {
    const v = this.eval(e.arg);
    const pattern = e.pattern;
    const inner = pattern.slice(0, -1);
    let result: WVal;
    if (v.kind === 'const') {
      result = konst('bool', v.value === null ? null : likeToRegExp(pattern).test(String(v.value)));
    } else if (!/[%_]/.test(pattern)) {
      result = this.compare('=', v, konst('utf8', pattern));
    } else if (pattern.endsWith('%') && !/[%_]/.test(inner)) {
      const out = this.vals.alloc(this.n);
      const [p, pl] = this.vals.writeString(inner);
      this.host.filter.like_prefix(v.values, v.data, p, pl, this.n, out);
      result = vec('bool', out, v.validity);
    } else {
      // General patterns run in JS over the strings in operator memory.
      const re = likeToRegExp(pattern);
      const out = this.vals.alloc(this.n);
      const decoder = new TextDecoder();
      for (let i = 0; i < this.n; i++) {
        const hit = this.vals.isValid(v, i) && re.test(decoder.decode(this.vals.readBytes(v, i)));
        this.vals.mem.u8[out + i] = hit ? 0xff : 0;
      }
      result = vec('bool', out, v.validity);
    }
    return e.negated ? this.not(result) : result;
  }

  private cast(v: WVal, to: DataType, e: Expr): WVal {
    if (v.type === to) return v;
    if (v.kind === 'const') return konst(to, castValue(v.value, v.type, to, e));
    if (
      (to === 'float64' && (v.type === 'int32' || v.type === 'int64')) ||
      (to === 'int64' && v.type === 'int32')
    ) {
      return this.coerce(v, to);
    }
    return this.castInJs(v, to, e);
  }

  /** Any other cast, row by row in JS (narrowing, bool, utf8); NULL stays NULL. */
  private castInJs(v: WVec, to: DataType, e?: Expr): WVec {
    const n = this.n;
    const values = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const x = this.vals.read(v, i);
      values[i] = x === null ? null : castValue(x, v.type, to, e);
    }
    return this.vals.fromJs(to, values as JsValue[]);
  }
}

function cmpResult(op: CmpOp, c: number): boolean {
  switch (op) {
    case '=':
      return c === 0;
    case '<>':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}
