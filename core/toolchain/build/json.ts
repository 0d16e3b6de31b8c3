// A JSON parser that remembers where each value starts, so manifest errors can point at the
// offending field (`futura.json:12:17`) instead of only naming it. Strict RFC 8259 JSON.

export interface Pos {
  line: number;
  col: number;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

export interface Parsed {
  value: JsonValue;
  /** Start of each value by its path: '' is the root, then `programs.0.install` style keys. */
  positions: Map<string, Pos>;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: Pos,
  ) {
    super(message);
  }
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

class Parser {
  i = 0;
  line = 1;
  lineStart = 0;
  readonly positions = new Map<string, Pos>();

  constructor(private readonly s: string) {}

  pos(): Pos {
    return { line: this.line, col: this.i - this.lineStart + 1 };
  }

  fail(message: string): never {
    throw new JsonSyntaxError(message, this.pos());
  }

  ws(): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === '\n') {
        this.i++;
        this.line++;
        this.lineStart = this.i;
      } else if (c === ' ' || c === '\t' || c === '\r') this.i++;
      else return;
    }
  }

  value(path: string): JsonValue {
    this.ws();
    this.positions.set(path, this.pos());
    const c = this.s[this.i];
    if (c === '{') return this.object(path);
    if (c === '[') return this.array(path);
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    return this.fail(c === undefined ? 'unexpected end of file' : `unexpected character '${c}'`);
  }

  object(path: string): JsonValue {
    const out: { [k: string]: JsonValue } = {};
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('expected a property name in double quotes');
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail("expected ':' after a property name");
      this.i++;
      out[key] = this.value(path === '' ? key : `${path}.${key}`);
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === '}') return out;
      if (c !== ',') {
        this.i--;
        this.fail("expected ',' or '}' after a property value");
      }
    }
  }

  array(path: string): JsonValue {
    const out: JsonValue[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value(path === '' ? `${out.length}` : `${path}.${out.length}`));
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === ']') return out;
      if (c !== ',') {
        this.i--;
        this.fail("expected ',' or ']' after an array element");
      }
    }
  }

  string(): string {
    let out = '';
    this.i++;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined || c === '\n') this.fail('unterminated string');
      this.i++;
      if (c === '"') return out;
      if (c === '\\') {
        const e = this.s[this.i++];
        if (e === 'u') {
          const hex = this.s.slice(this.i, this.i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          this.i += 4;
        } else if (e !== undefined && ESCAPES[e] !== undefined) out += ESCAPES[e];
        else this.fail(`bad escape '\\${e ?? ''}'`);
      } else if (c < ' ') this.fail('control character in string');
      else out += c;
    }
  }

  number(): number {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 64));
    if (!m) this.fail('bad number');
    this.i += m[0].length;
    return Number(m[0]);
  }
}

/** Parses JSON text; throws JsonSyntaxError with a position on bad input. */
export function parseJsonWithPositions(text: string): Parsed {
  const p = new Parser(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text);
  const value = p.value('');
  p.ws();
  if (p.i < text.length) p.fail('unexpected text after the end of the JSON value');
  return { value, positions: p.positions };
}
