/**
 * node-sql-parser (PostgreSQL dialect) → one checked SELECT AST.
 *
 * Why PostgreSQL: of the dialects in node-sql-parser 5.4 it is the one that parses the TPC-H
 * spelling as-is: `DATE '1998-12-01'`, `INTERVAL '90' DAY`, `interval '1' year`,
 * `CAST(x AS DOUBLE)`, `x::double`, `BETWEEN 0.06 - 0.01 AND ...`, `NULLS FIRST`, and it keeps
 * decimal literals as their source text, which exact constant folding needs.
 *
 * Syntax errors become `InvalidArgumentError` with what was expected, where, and the line with a
 * caret. Valid SQL we cannot run (JOIN, UNION, CTEs, DISTINCT, subqueries in FROM, ...) becomes
 * `PlanError` naming the construct.
 */
import { InvalidArgumentError, PlanError } from '@pushdown/proto';
import sqlParser from 'node-sql-parser/build/postgresql.js';
import type { AstSelect } from './sql-ast.js';
import type { SourceText } from './source-text.js';

const PARSE_OPTIONS = { database: 'postgresql', parseOptions: { includeLocations: true } };

let parser: InstanceType<typeof sqlParser.Parser> | undefined;

interface PegSyntaxError {
  name: string;
  message: string;
  expected?: readonly { type: string; text?: string; description?: string; parts?: unknown }[] | null;
  found?: string | null;
  location?: { start: { offset: number } };
}

export function parseSelect(src: SourceText): AstSelect {
  parser ??= new sqlParser.Parser();
  let ast: unknown;
  try {
    ast = parser.astify(src.sql, PARSE_OPTIONS);
  } catch (err) {
    throw syntaxError(src, err as PegSyntaxError);
  }
  if (Array.isArray(ast)) {
    if (ast.length === 0) throw new InvalidArgumentError('empty query: expected a SELECT statement');
    if (ast.length > 1) {
      throw new PlanError(
        `only one statement per query is supported; found ${ast.length}${src.at(src.find((t) => t.value === ';')?.offset)}`,
      );
    }
    ast = ast[0];
  }
  const stmt = ast as { type?: string };
  if (stmt.type !== 'select') {
    const kind = String(stmt.type ?? 'this').toUpperCase();
    throw new PlanError(`${kind} statements are not supported; only SELECT queries can run`);
  }
  checkShape(src, ast as AstSelect);
  return ast as AstSelect;
}

/** Rejects statement-level constructs the planner does not handle, naming them and where they are. */
function checkShape(src: SourceText, s: AstSelect): void {
  if (s.with)
    throw new PlanError(
      `WITH (common table expressions) is not supported yet${src.at(src.findKeyword('with'))}`,
    );
  if (s._next || s.set_op) {
    const op = String(s.set_op ?? 'union').toUpperCase();
    throw new PlanError(
      `${op} is not supported yet${src.at(src.findKeyword(op.split(' ')[0]!.toLowerCase()))}; run each SELECT separately`,
    );
  }
  const distinct = typeof s.distinct === 'string' ? s.distinct : s.distinct?.type;
  if (distinct)
    throw new PlanError(`SELECT DISTINCT is not supported yet${src.at(src.findKeyword('distinct'))}`);
  if (s.into && s.into.position)
    throw new PlanError(`SELECT INTO is not supported${src.at(src.findKeyword('into'))}`);
  if (s.window)
    throw new PlanError(`WINDOW clauses are not supported yet${src.at(src.findKeyword('window'))}`);
  if (!s.from || s.from.length === 0) {
    throw new PlanError('a query needs FROM <table>: SELECT without FROM is not supported');
  }
  for (const f of s.from) {
    if (f.join) {
      throw new PlanError(
        `JOIN is not supported yet${src.at(src.findKeyword('join'))}; query one table at a time`,
      );
    }
    if (f.expr !== undefined || f.table === undefined) {
      throw new PlanError(`subqueries in FROM are not supported yet${src.at(src.findKeyword('select', 1))}`);
    }
  }
  if (s.from.length > 1) {
    const comma = src.find((t) => t.value === ',', undefined, src.findKeyword('from') ?? 0)?.offset;
    const where = comma === undefined ? '' : `, ${src.where(comma)}`;
    throw new PlanError(
      `JOIN is not supported yet (several tables in FROM${where}); query one table at a time`,
    );
  }
}

/** The parts of a peg error's `expected` list worth showing, grouped so the message stays short. */
function describeExpected(expected: PegSyntaxError['expected']): string {
  if (!expected) return 'something else';
  const texts = new Set<string>();
  let name = false;
  let number = false;
  for (const e of expected) {
    if (e.type === 'literal' && e.text !== undefined) texts.add(e.text.toUpperCase());
    else if (e.type === 'class' && JSON.stringify(e.parts).includes('"A","Z"')) name = true;
    else if (e.type === 'class' && JSON.stringify(e.parts) === '[["0","9"]]') number = true;
  }
  if (texts.has('CAST') && texts.has('CASE')) return 'an expression';
  if (texts.has("''")) return "a closing ' (the string literal is not terminated)";
  const OPERATOR_WORDS = new Set([
    'AND',
    'OR',
    'NOT',
    'IN',
    'IS',
    'LIKE',
    'ILIKE',
    'BETWEEN',
    'SIMILAR',
    'COLLATE',
    'AT',
  ]);
  const words: string[] = [];
  const punct: string[] = [];
  let operator = false;
  for (const t of texts) {
    if (t === '--' || t === '/*') continue;
    if (OPERATOR_WORDS.has(t)) operator = true;
    else if (/^[A-Z_]+$/.test(t)) words.push(t);
    else if (['(', ')', ',', ';'].includes(t)) punct.push(`"${t}"`);
    else operator = true;
  }
  const parts = [...words.slice(0, 10), ...(words.length > 10 ? ['...'] : []), ...punct];
  if (operator) parts.push('an operator');
  if (name) parts.push('a name');
  if (number) parts.push('a number');
  if (expected.some((e) => e.type === 'end')) parts.push('end of input');
  if (parts.length === 0) return 'something else';
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

function syntaxError(src: SourceText, err: PegSyntaxError): InvalidArgumentError {
  if (err.name !== 'SyntaxError' || !err.location) {
    return new InvalidArgumentError(`could not parse the query: ${err.message}`, { cause: err });
  }
  const offset = err.location.start.offset;
  const found =
    err.found === null || err.found === undefined ? 'end of input' : `"${foundWord(src.sql, offset)}"`;
  return new InvalidArgumentError(
    `syntax error at ${src.where(offset)}: expected ${describeExpected(err.expected)} but found ${found}\n${src.snippet(offset)}`,
    { cause: err },
  );
}

/** The whole word at the error, not just its first character as peg reports it. */
function foundWord(sql: string, offset: number): string {
  const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|'[^']*'?|[0-9.]+|\S)/.exec(sql.slice(offset));
  return m ? m[0] : (sql[offset] ?? '');
}
