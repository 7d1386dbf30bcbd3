/**
 * Positions in the SQL text, for error messages that say where.
 *
 * node-sql-parser attaches locations to some nodes only (binary expressions, function calls),
 * not to column references, literals or clauses. So errors about those find the offending word
 * in the text: a small lexer (not a parser) knows where strings, quoted names and comments are,
 * so a search for `join` never lands inside `'join me'` or `-- join`.
 */

export interface SourcePos {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export interface Token {
  readonly kind: 'word' | 'quoted' | 'string' | 'number' | 'punct';
  /** Lower-cased text; for quoted names and strings, the text between the quotes. */
  readonly value: string;
  readonly offset: number;
  readonly end: number;
}

/** Half-open offset range to search in first. */
export interface SourceRange {
  readonly start: number;
  readonly end: number;
}

export class SourceText {
  readonly tokens: readonly Token[];
  private readonly lineStarts: number[] = [0];

  constructor(readonly sql: string) {
    for (let i = 0; i < sql.length; i++) if (sql[i] === '\n') this.lineStarts.push(i + 1);
    this.tokens = lex(sql);
  }

  pos(offset: number): SourcePos {
    let line = 0;
    while (line + 1 < this.lineStarts.length && (this.lineStarts[line + 1] ?? Infinity) <= offset) line++;
    return { offset, line: line + 1, column: offset - (this.lineStarts[line] ?? 0) + 1 };
  }

  /** `line 1, column 25` for an offset. */
  where(offset: number): string {
    const p = this.pos(offset);
    return `line ${p.line}, column ${p.column}`;
  }

  /** The source line holding `offset`, and a caret under it (two lines, indented). */
  snippet(offset: number): string {
    const p = this.pos(offset);
    const start = this.lineStarts[p.line - 1] ?? 0;
    const endNl = this.sql.indexOf('\n', start);
    const text = this.sql.slice(start, endNl === -1 ? undefined : endNl).replace(/\t/g, ' ');
    return `  ${text}\n  ${' '.repeat(p.column - 1)}^`;
  }

  /**
   * First token matching `pred`, looking inside `within` first and then in the whole text.
   * `after` skips tokens that start before that offset.
   */
  find(pred: (t: Token, i: number) => boolean, within?: SourceRange, after = 0): Token | undefined {
    const scan = (lo: number, hi: number): Token | undefined => {
      for (let i = 0; i < this.tokens.length; i++) {
        const t = this.tokens[i]!;
        if (t.offset >= lo && t.offset < hi && t.offset >= after && pred(t, i)) return t;
      }
      return undefined;
    };
    return (within ? scan(within.start, within.end) : undefined) ?? scan(0, this.sql.length);
  }

  /** Offset of a name (unquoted word or quoted name), case-insensitive; `undefined` if absent. */
  findName(name: string, within?: SourceRange): number | undefined {
    const lower = name.toLowerCase();
    return this.find(
      (t) => (t.kind === 'word' || t.kind === 'quoted') && t.value.toLowerCase() === lower,
      within,
    )?.offset;
  }

  /** Offset of the n-th (0-based) keyword occurrence. */
  findKeyword(word: string, nth = 0, within?: SourceRange): number | undefined {
    let seen = 0;
    return this.find((t) => t.kind === 'word' && t.value === word && seen++ === nth, within)?.offset;
  }

  /** Offset of `name(` : a function call. */
  findCall(name: string, within?: SourceRange): number | undefined {
    const lower = name.toLowerCase();
    return this.find(
      (t, i) => t.kind === 'word' && t.value === lower && this.tokens[i + 1]?.value === '(',
      within,
    )?.offset;
  }

  /** ` (line L, column C)` for an offset, or '' when unknown: appended to messages. */
  at(offset: number | undefined): string {
    return offset === undefined ? '' : ` (${this.where(offset)})`;
  }
}

function lex(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? n : close + 2;
    } else if (c === "'" || c === '"') {
      const start = i;
      let value = '';
      i++;
      while (i < n) {
        if (sql[i] === c) {
          if (sql[i + 1] === c) {
            value += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += sql[i];
        i++;
      }
      out.push({ kind: c === "'" ? 'string' : 'quoted', value, offset: start, end: i });
    } else if (/[0-9.]/.test(c) && /[0-9]/.test(sql[i + (c === '.' ? 1 : 0)] ?? '')) {
      const m = /^[0-9]*\.?[0-9]*(?:[eE][+-]?[0-9]+)?/.exec(sql.slice(i))!;
      out.push({ kind: 'number', value: m[0], offset: i, end: i + m[0].length });
      i += m[0].length;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const m = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(sql.slice(i))!;
      out.push({ kind: 'word', value: m[0].toLowerCase(), offset: i, end: i + m[0].length });
      i += m[0].length;
    } else {
      out.push({ kind: 'punct', value: c, offset: i, end: i + 1 });
      i++;
    }
  }
  return out;
}
