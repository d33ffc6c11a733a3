// A cursor over the significant tokens of one pipeline statement, raising parse failures at exact offsets.
import { identifierOf, isSignificant, tokenize, type Token } from '../../sql/dialect/tokenizer'
import type { SourceLocation } from '../model'

/** A statement after placeholder substitution, with a way back to file locations. */
export interface StatementSource {
  /** Substituted statement text; token offsets are relative to it. */
  text: string
  /** File location of an offset in `text`. */
  locate(offset: number): SourceLocation
}

/** Raised by the statement parsers; `offset` is in the statement text, `message` says what was expected. */
export class ParseFailure extends Error {
  constructor(message: string, readonly offset: number) {
    super(message)
    this.name = 'ParseFailure'
  }
}

/** A dotted name as written: parts without quotes, plus where it sits in the statement. */
export interface WrittenName {
  parts: string[]
  written: string
  start: number
  end: number
}

export class StatementCursor {
  /** Significant tokens only. */
  readonly tokens: Token[]
  pos = 0

  /** `endOffset`: where "end of input" is reported when the cursor covers only part of the statement. */
  constructor(readonly source: StatementSource, allTokens: readonly Token[] = tokenize(source.text), private readonly endOffset = source.text.length) {
    this.tokens = allTokens.filter(isSignificant)
  }

  peek(k = 0): Token | undefined {
    return this.tokens[this.pos + k]
  }

  next(): Token | undefined {
    return this.tokens[this.pos++]
  }

  atEnd(): boolean {
    return this.pos >= this.tokens.length
  }

  /** True when the token `k` ahead is one of these unquoted keywords. */
  isWord(k: number, ...words: string[]): boolean {
    const t = this.peek(k)
    return t !== undefined && t.kind === 'word' && words.includes(t.value)
  }

  /** True when the next tokens are exactly these keywords. */
  atWords(...words: string[]): boolean {
    return words.every((w, k) => this.isWord(k, w))
  }

  /** Consumes the keywords when they are next. */
  acceptWords(...words: string[]): boolean {
    if (!this.atWords(...words)) return false
    this.pos += words.length
    return true
  }

  /** @throws ParseFailure when the keywords are not next. */
  expectWords(...words: string[]): void {
    if (!this.acceptWords(...words)) this.fail(`expected ${words.join(' ')}`)
  }

  atSymbol(symbol: string, k = 0): boolean {
    const t = this.peek(k)
    return t !== undefined && (t.kind === 'punct' || t.kind === 'op') && t.text === symbol
  }

  acceptSymbol(symbol: string): boolean {
    if (!this.atSymbol(symbol)) return false
    this.pos++
    return true
  }

  /** @throws ParseFailure when `symbol` is not next. */
  expectSymbol(symbol: string): Token {
    if (!this.atSymbol(symbol)) this.fail(`expected '${symbol}'`)
    return this.next()!
  }

  /** Consumes one identifier (word or quoted). @throws ParseFailure otherwise. */
  expectIdentifier(what: string): string {
    const t = this.peek()
    const name = t ? identifierOf(t) : null
    if (name === null) this.fail(`expected ${what}`)
    this.pos++
    return name!
  }

  /** Consumes a dotted name such as `LIVE.users` or `` cat.`my schema`.t ``. @throws ParseFailure otherwise. */
  expectName(what: string): WrittenName {
    const first = this.peek()
    const parts = [this.expectIdentifier(what)]
    while (this.atSymbol('.')) {
      this.pos++
      parts.push(this.expectIdentifier(what))
    }
    const last = this.tokens[this.pos - 1]!
    return { parts, written: this.source.text.slice(first!.start, last.end), start: first!.start, end: last.end }
  }

  /** A string literal; Spark also accepts "double quotes" for strings in DDL. @throws ParseFailure otherwise. */
  expectString(what: string): string {
    const t = this.peek()
    if (t === undefined || !(t.kind === 'string' || (t.kind === 'quotedIdent' && !t.backtick))) this.fail(`expected ${what}`)
    this.pos++
    return t!.value
  }

  /**
   * Consumes a parenthesised group and returns the offsets of the text between the brackets.
   * @throws ParseFailure when the next token is not `(` or the group is not closed.
   */
  expectGroup(what: string): { start: number; end: number; open: Token } {
    if (!this.atSymbol('(')) this.fail(`expected '(' to start ${what}`)
    const open = this.next()!
    let depth = 1
    while (!this.atEnd()) {
      const t = this.next()!
      if (t.kind === 'punct' && t.text === '(') depth++
      else if (t.kind === 'punct' && t.text === ')' && --depth === 0) return { start: open.end, end: t.start, open }
    }
    throw new ParseFailure(`unclosed '(' of ${what}`, open.start)
  }

  /**
   * A parenthesised group's content from its first to its last token, so surrounding comments never end up
   * in an expression (a trailing `-- note` would otherwise swallow whatever the runner appends).
   * @throws ParseFailure like expectGroup.
   */
  expectGroupText(what: string): string {
    const openIndex = this.pos
    this.expectGroup(what)
    const first = this.tokens[openIndex + 1]!
    const last = this.tokens[this.pos - 2]!
    return this.pos - openIndex > 2 ? this.source.text.slice(first.start, last.end) : ''
  }

  /** Offset of the next token (or of the end of the statement). */
  offset(): number {
    return this.peek()?.start ?? this.endOffset
  }

  /** @throws ParseFailure at the current token: "expected X, found 'y'". */
  fail(message: string): never {
    const t = this.peek()
    throw new ParseFailure(`${message}, found ${t ? `'${t.text}'` : 'end of statement'}`, t?.start ?? this.endOffset)
  }
}
