/**
 * The Falco condition language, parsed as libsinsp's filter parser does (grammar of userspace/libsinsp/filter/
 * parser.h; learned from it, not copied): `and`/`or`/`not`, parentheses, macro identifiers, `exists`, comparison,
 * string and list operators, operator modifiers, field arguments and field transformers. The lexical rules are the
 * same (bare strings, quoted strings with their escapes, field names with dots, `not` needing a blank, `and(`/`or(`
 * without one) so that a condition Falco accepts parses the same here, and one it refuses fails here too. Every token
 * pattern is linear; recursion is capped like libsinsp's (1000 levels for rules).
 */

/** Where a node starts in the condition text. */
export interface Pos {
  readonly idx: number;
  readonly line: number;
  readonly col: number;
}

export type FieldExpr = { readonly t: 'field'; readonly name: string; readonly arg?: string; readonly pos: Pos };
export type TransformerExpr = { readonly t: 'transformer'; readonly name: string; readonly args: readonly TransformerArg[]; readonly arg?: string; readonly pos: Pos };
export type TransformerArg = FieldExpr | TransformerExpr | { readonly t: 'value'; readonly value: string; readonly pos: Pos } | { readonly t: 'tlist'; readonly items: readonly TransformerArg[]; readonly pos: Pos };
export type Operand = FieldExpr | TransformerExpr;
export type Rhs = { readonly t: 'value'; readonly value: string; readonly pos: Pos } | { readonly t: 'list'; readonly values: readonly string[]; readonly pos: Pos } | TransformerExpr;

export type Expr =
  | { readonly t: 'and'; readonly children: readonly Expr[]; readonly pos: Pos }
  | { readonly t: 'or'; readonly children: readonly Expr[]; readonly pos: Pos }
  | { readonly t: 'not'; readonly child: Expr; readonly pos: Pos }
  | { readonly t: 'id'; readonly name: string; readonly pos: Pos }
  /** A resolved macro reference (never produced by the parser; compile.ts keeps it to evaluate each macro once per event). */
  | { readonly t: 'macro'; readonly name: string; readonly child: Expr; readonly pos: Pos }
  | { readonly t: 'unary'; readonly left: Operand; readonly op: 'exists'; readonly pos: Pos }
  | { readonly t: 'binary'; readonly left: Operand; readonly op: string; readonly right: Rhs; readonly pos: Pos };

export class ParseError extends Error {
  constructor(
    message: string,
    readonly pos: Pos,
  ) {
    super(message);
    this.name = 'ParseError';
  }
}

const BLANKS = new Set([' ', '\t', '\b', '\r', '\n']);
// POSIX [[:space:]] is space, \t, \n, \v, \f, \r.
const RE_NOT_BLANK = /not[ \t\n\v\f\r]+/y;
// eslint-disable-next-line regexp/no-super-linear-move -- sticky (/y): tried only at lastIndex, never moved along the input
const RE_IDENTIFIER = /[a-zA-Z][a-zA-Z0-9_]*/y;
// eslint-disable-next-line regexp/no-super-linear-move -- sticky (/y): tried only at lastIndex, never moved along the input
const RE_FIELD_NAME = /[a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z][a-zA-Z0-9_]*)+/y;
// eslint-disable-next-line regexp/no-super-linear-move -- sticky (/y): tried only at lastIndex, never moved along the input
const RE_FIELD_ARG_BARE = /[^\]["' \t\n\v\f\r]+/y;
const RE_HEX_NUM = /0[xX][0-9a-fA-F]+/y;
// eslint-disable-next-line regexp/no-super-linear-move -- sticky (/y): tried only at lastIndex, never moved along the input
const RE_NUM = /[+-]?[0-9]+(?:\.[0-9]*)?(?:[eE][+-][0-9]+)?/y;
// eslint-disable-next-line regexp/no-super-linear-move -- sticky (/y): tried only at lastIndex, never moved along the input
const RE_BARE_STR = /[^()"' \t\n\v\f\r=,]+/y;

const UNARY_OPS = ['exists'];
const NUM_OPS = ['<=', '<', '>=', '>'];
// A trailing space means the operator needs a blank after it.
const STR_OPS = ['==', '=', '!=', 'glob ', 'iglob ', 'contains ', 'icontains ', 'bcontains ', 'startswith ', 'bstartswith ', 'endswith ', 'regex '];
const STR_MODIFIERS = ['oneof ', 'anyof ', 'allof '];
const LIST_OPS = ['intersects', 'in', 'pmatch'];
const TRANSFORMERS = ['tolower(', 'toupper(', 'b64(', 'basename(', 'len(', 'join(', 'concat(', 'getopt('];

/** Every operator the grammar knows (kspect supports a subset; see compile.ts). */
export const GRAMMAR_OPERATORS: readonly string[] = [...UNARY_OPS, ...NUM_OPS, ...STR_OPS.map((o) => o.trim()), ...LIST_OPS];

/** libsinsp's unescape of a quoted string (the quotes included in `s`). */
export function unescapeQuoted(s: string, pos: Pos): string {
  let out = '';
  let escaped = false;
  const quote = s[0];
  for (let i = 1; i < s.length - 1; i++) {
    const c = s[i] ?? '';
    if (!escaped) {
      if (c === '\\') escaped = true;
      else out += c;
      continue;
    }
    switch (c) {
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case ' ':
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case '"':
        if (quote !== '"') throw new ParseError("invalid \\\" escape in '-quoted string", pos);
        out += '"';
        break;
      case "'":
        if (quote !== "'") throw new ParseError('invalid \\\' escape in "-quoted string', pos);
        out += "'";
        break;
      case 'x': {
        const hex = s.slice(i + 1, i + 3);
        if (i + 2 >= s.length - 1) throw new ParseError('truncated hex char escape sequence', pos);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new ParseError(`invalid hex char escape sequence: ${hex}`, pos);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 2;
        break;
      }
      default:
        throw new ParseError(`unsupported string escape sequence: \\${c}`, pos);
    }
    escaped = false;
  }
  return out;
}

/** A recursive-descent parser over one condition string, with libsinsp's lexical rules. */
export class ConditionParser {
  private idx = 0;
  private line = 1;
  private col = 1;
  private depth = 0;
  private last = '';

  constructor(
    private readonly input: string,
    private readonly maxDepth = 1000,
  ) {}

  /** Parse the whole input as one expression. */
  parse(): Expr {
    if (this.input.length === 0) throw new ParseError('filter input string is empty', this.pos());
    const e = this.parseOr();
    if (this.idx !== this.input.length) throw new ParseError(`unexpected token after '${this.last}', expecting 'or', 'and'`, this.pos());
    return e;
  }

  /** Parse one field or transformer at the start of the input (output formats); returns it and the length read. */
  parseFieldOrTransformer(): { expr: Operand; length: number } {
    const pos = this.pos();
    let e: Operand;
    if (this.lexRe(RE_FIELD_NAME)) e = this.fieldRemainder(this.last, pos);
    else if (this.lexTransformer()) {
      this.blank();
      e = this.transformerRemainder(this.last.slice(0, -1), pos);
    } else throw new ParseError(`unexpected token after '${this.last}'`, pos);
    return { expr: e, length: this.idx };
  }

  pos(): Pos {
    return { idx: this.idx, line: this.line, col: this.col };
  }

  private guard<T>(f: () => T): T {
    if (++this.depth >= this.maxDepth) throw new ParseError(`exceeded max depth limit of ${this.maxDepth}`, this.pos());
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private advance(n: number): void {
    for (let i = 0; i < n; i++) {
      const c = this.input[this.idx];
      this.col++;
      if (c === '\r' || c === '\n') {
        this.col = 1;
        this.line++;
      }
      this.idx++;
    }
  }

  private blank(): boolean {
    let found = false;
    while (this.idx < this.input.length && BLANKS.has(this.input[this.idx] ?? '')) {
      found = true;
      this.advance(1);
    }
    return found;
  }

  private lexStr(s: string): boolean {
    if (this.input.startsWith(s, this.idx)) {
      this.last = s;
      this.advance(s.length);
      return true;
    }
    return false;
  }

  private lexRe(re: RegExp): boolean {
    re.lastIndex = this.idx;
    const m = re.exec(this.input);
    if (!m || m.index !== this.idx || m[0].length === 0) return false;
    this.last = m[0];
    this.advance(m[0].length);
    return true;
  }

  /** An operator from a list; one with a trailing space needs a blank after it (the blank is consumed). */
  private lexOp(list: readonly string[]): boolean {
    for (const op of list) {
      if (!op.endsWith(' ')) {
        if (this.lexStr(op)) return true;
        continue;
      }
      const save = this.save();
      if (this.lexStr(op.trim()) && this.blank()) return true;
      this.restore(save);
    }
    return false;
  }

  private save(): [number, number, number, string] {
    return [this.idx, this.line, this.col, this.last];
  }

  private restore(s: [number, number, number, string]): void {
    [this.idx, this.line, this.col, this.last] = s;
  }

  private lexQuoted(): boolean {
    const c = this.input[this.idx];
    if (c !== '"' && c !== "'") return false;
    const start = this.pos();
    let prev = '\\';
    let j = this.idx;
    let token = '';
    while (j < this.input.length) {
      const ch = this.input[j] ?? '';
      if (ch === c && prev !== '\\') {
        token += ch;
        this.advance(j - this.idx + 1);
        this.last = unescapeQuoted(token, start);
        return true;
      }
      prev = ch;
      token += ch;
      j++;
    }
    return false;
  }

  private lexTransformer(): boolean {
    for (const t of TRANSFORMERS) if (this.lexStr(t)) return true;
    return false;
  }

  private parseOr(): Expr {
    return this.guard(() => {
      const pos = this.pos();
      const children: Expr[] = [];
      this.blank();
      children.push(this.parseAnd());
      this.blank();
      while (this.lexStr('or')) {
        if (!this.blank()) {
          if (this.lexStr('(')) children.push(this.embedded());
          else throw new ParseError("expected blank or '(' after 'or'", this.pos());
        } else children.push(this.parseAnd());
        this.blank();
      }
      return children.length > 1 ? { t: 'or', children, pos } : (children[0] as Expr);
    });
  }

  private parseAnd(): Expr {
    return this.guard(() => {
      const pos = this.pos();
      const children: Expr[] = [];
      this.blank();
      children.push(this.parseNot());
      this.blank();
      while (this.lexStr('and')) {
        if (!this.blank()) {
          if (this.lexStr('(')) children.push(this.embedded());
          else throw new ParseError("expected blank or '(' after 'and'", this.pos());
        } else children.push(this.parseNot());
        this.blank();
      }
      return children.length > 1 ? { t: 'and', children, pos } : (children[0] as Expr);
    });
  }

  private parseNot(): Expr {
    return this.guard(() => {
      const pos = this.pos();
      let negate = false;
      this.blank();
      while (this.lexRe(RE_NOT_BLANK)) negate = !negate;
      let child: Expr;
      if (this.lexStr('not(')) {
        negate = !negate;
        child = this.embedded();
      } else child = this.parseCheck();
      return negate ? { t: 'not', child, pos } : child;
    });
  }

  private embedded(): Expr {
    return this.guard(() => {
      this.blank();
      const e = this.parseOr();
      this.blank();
      if (!this.lexStr(')')) throw new ParseError("expected a ')' token", this.pos());
      return e;
    });
  }

  private parseCheck(): Expr {
    return this.guard(() => {
      const pos = this.pos();
      this.blank();
      if (this.lexStr('(')) return this.embedded();
      if (this.lexRe(RE_FIELD_NAME)) return this.condition(this.fieldRemainder(this.last, pos), pos);
      if (this.lexTransformer()) {
        this.blank();
        return this.condition(this.transformerRemainder(this.last.slice(0, -1), pos), pos);
      }
      if (this.lexRe(RE_IDENTIFIER)) return { t: 'id', name: this.last, pos };
      throw new ParseError("expected a '(' token, a field check, or an identifier", this.pos());
    });
  }

  private fieldRemainder(name: string, pos: Pos): FieldExpr {
    const arg = this.optionalArg();
    return { t: 'field', name, ...(arg !== undefined ? { arg } : {}), pos };
  }

  private optionalArg(): string | undefined {
    if (!this.lexStr('[')) return undefined;
    if (!this.lexQuoted() && !this.lexRe(RE_FIELD_ARG_BARE)) throw new ParseError('expected a valid field argument: a quoted string or a bare string', this.pos());
    const arg = this.last;
    if (!this.lexStr(']')) throw new ParseError("expected a ']' token", this.pos());
    return arg;
  }

  private transformerRemainder(name: string, pos: Pos): TransformerExpr {
    return this.guard(() => {
      this.blank();
      const args: TransformerArg[] = [];
      do {
        args.push(this.transformerArg());
        this.blank();
      } while (this.lexStr(','));
      this.blank();
      if (!this.lexStr(')')) throw new ParseError("expected a ')' token closing the transformer", this.pos());
      const arg = this.optionalArg();
      return { t: 'transformer', name, args, ...(arg !== undefined ? { arg } : {}), pos };
    });
  }

  private transformerArg(): TransformerArg {
    return this.guard(() => {
      this.blank();
      const pos = this.pos();
      if (this.lexRe(RE_HEX_NUM) || this.lexRe(RE_NUM)) return { t: 'value', value: this.last, pos };
      if (this.lexQuoted()) return { t: 'value', value: this.last, pos };
      if (this.lexStr('(')) return this.transformerList(pos);
      if (this.lexTransformer()) return this.transformerRemainder(this.last.slice(0, -1), pos);
      if (this.lexRe(RE_FIELD_NAME)) return this.fieldRemainder(this.last, pos);
      throw new ParseError('expected field transformer argument: field, transformer, quoted string, number, or transformer list', pos);
    });
  }

  private transformerList(pos: Pos): TransformerArg {
    const items: TransformerArg[] = [];
    this.blank();
    if (this.lexStr(')')) return { t: 'tlist', items, pos };
    const one = (): TransformerArg => {
      const p = this.pos();
      if (this.lexRe(RE_FIELD_NAME)) return this.fieldRemainder(this.last, p);
      if (this.lexTransformer()) {
        this.blank();
        return this.transformerRemainder(this.last.slice(0, -1), p);
      }
      if (this.lexQuoted()) return { t: 'value', value: this.last, pos: p };
      if (this.lexRe(RE_HEX_NUM) || this.lexRe(RE_NUM)) return { t: 'value', value: this.last, pos: p };
      throw new ParseError('expected transformer list argument: field, transformer, quoted string, or number', p);
    };
    items.push(one());
    this.blank();
    while (this.lexStr(',')) {
      this.blank();
      items.push(one());
      this.blank();
    }
    if (!this.lexStr(')')) throw new ParseError("expected ')'", this.pos());
    return { t: 'tlist', items, pos };
  }

  private condition(left: Operand, pos: Pos): Expr {
    return this.guard(() => {
      this.blank();
      if (this.lexOp(UNARY_OPS)) return { t: 'unary', left, op: 'exists', pos };
      this.blank();
      let op: string;
      let right: Rhs;
      if (this.lexOp(NUM_OPS)) {
        op = this.last;
        right = this.numValueOrTransformer();
      } else if (this.lexOp(STR_OPS)) {
        op = this.last.trim();
        const hadBlank = /^[a-z]/i.test(op) || this.blank();
        const save = this.save();
        if (hadBlank && this.lexOp(STR_MODIFIERS) && this.listValueFollows() && !this.boolKeywordFollows()) {
          op = `${op} ${this.last.trim()}`;
          right = this.listValue();
        } else {
          this.restore(save);
          right = this.strValueOrTransformer(false);
        }
      } else if (this.lexOp(LIST_OPS)) {
        op = this.last;
        right = this.listValueOrTransformer();
      } else throw new ParseError(`expected a valid check operator: one of ${GRAMMAR_OPERATORS.map((o) => `'${o}'`).join(', ')}`, this.pos());
      return { t: 'binary', left, op, right, pos };
    });
  }

  private listValueFollows(): boolean {
    if (this.input[this.idx] === '(') return true;
    const save = this.save();
    const ok = this.lexRe(RE_IDENTIFIER);
    this.restore(save);
    return ok;
  }

  private boolKeywordFollows(): boolean {
    const rest = this.input.slice(this.idx, this.idx + 4);
    return ['and', 'or', 'not'].some((kw) => rest.startsWith(kw) && (rest.length === kw.length || !/[a-zA-Z0-9]/.test(rest[kw.length] ?? '')));
  }

  private numValueOrTransformer(): Rhs {
    return this.guard(() => {
      this.blank();
      const pos = this.pos();
      const t = this.tryTransformerOrVal();
      if (t) return t;
      if (this.lexRe(RE_HEX_NUM) || this.lexRe(RE_NUM)) return { t: 'value', value: this.last, pos };
      throw new ParseError(`expected a number value or a field with a valid transformer: ${['val', ...TRANSFORMERS.map((x) => x.slice(0, -1))].map((x) => `'${x}'`).join(', ')}`, this.pos());
    });
  }

  private strValueOrTransformer(noTransformer: boolean): Rhs {
    return this.guard(() => {
      this.blank();
      const pos = this.pos();
      if (!noTransformer) {
        const t = this.tryTransformerOrVal();
        if (t) return t;
      }
      if (this.lexQuoted() || this.lexRe(RE_BARE_STR)) return { t: 'value', value: this.last, pos };
      throw new ParseError(noTransformer ? 'expected a string value' : `expected a string value or a field with a valid transformer: ${['val', ...TRANSFORMERS.map((x) => x.slice(0, -1))].map((x) => `'${x}'`).join(', ')}`, this.pos());
    });
  }

  private tryListExpr(): Rhs | undefined {
    const pos = this.pos();
    if (!this.lexStr('(')) return undefined;
    const values: string[] = [];
    this.blank();
    let empty = false;
    const save = this.save();
    try {
      const v = this.strValueOrTransformer(true);
      if (v.t === 'value') values.push(v.value);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      this.restore(save);
      empty = true;
    }
    if (!empty) {
      this.blank();
      while (this.lexStr(',')) {
        const v = this.strValueOrTransformer(true);
        if (v.t === 'value') values.push(v.value);
        this.blank();
      }
    }
    if (!this.lexStr(')')) throw new ParseError("expected a ')' token", this.pos());
    return { t: 'list', values, pos };
  }

  private listValue(): Rhs {
    return this.guard(() => {
      this.blank();
      const pos = this.pos();
      const l = this.tryListExpr();
      if (l) return l;
      if (this.lexRe(RE_IDENTIFIER)) return { t: 'value', value: this.last, pos };
      throw new ParseError('expected a list or an identifier', this.pos());
    });
  }

  private listValueOrTransformer(): Rhs {
    return this.guard(() => {
      this.blank();
      const pos = this.pos();
      const l = this.tryListExpr();
      if (l) return l;
      const t = this.tryTransformerOrVal();
      if (t) return t;
      if (this.lexRe(RE_IDENTIFIER)) return { t: 'value', value: this.last, pos };
      throw new ParseError(`expected a list, an identifier, or a field with a valid transformer: ${['val', ...TRANSFORMERS.map((x) => x.slice(0, -1))].map((x) => `'${x}'`).join(', ')}`, this.pos());
    });
  }

  private tryTransformerOrVal(): TransformerExpr | undefined {
    return this.guard(() => {
      this.blank();
      const pos = this.pos();
      if (this.lexStr('val(')) {
        this.blank();
        const fpos = this.pos();
        if (!this.lexRe(RE_FIELD_NAME)) throw new ParseError("expected a field within 'val' transformer", this.pos());
        const field = this.fieldRemainder(this.last, fpos);
        this.blank();
        if (!this.lexStr(')')) throw new ParseError("expected a ')' token closing the transformer", this.pos());
        const arg = this.optionalArg();
        return { t: 'transformer', name: 'val', args: [field], ...(arg !== undefined ? { arg } : {}), pos };
      }
      if (this.lexTransformer()) {
        this.blank();
        return this.transformerRemainder(this.last.slice(0, -1), pos);
      }
      return undefined;
    });
  }
}

/** Parse a condition; throws ParseError with the position. */
export function parseCondition(input: string, maxDepth = 1000): Expr {
  return new ConditionParser(input, maxDepth).parse();
}
