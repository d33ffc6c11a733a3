// A cursor over the significant tokens of one statement, for the small recursive-descent parsers of the dialect.
import { identifierOf, isKeyword, isSignificant, type Token } from './tokenizer'
import { SqlError } from '../sqlError'

export class TokenCursor {
  /** Significant tokens only (no whitespace or comments). */
  readonly tokens: Token[]
  pos = 0

  constructor(tokens: readonly Token[], readonly sourceText = '') {
    this.tokens = tokens.filter(isSignificant)
  }

  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset]
  }

  next(): Token | undefined {
    return this.tokens[this.pos++]
  }

  atEnd(): boolean {
    return this.pos >= this.tokens.length
  }

  /** True (and advances) when the next tokens are exactly these keywords. */
  acceptKeywords(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) if (!isKeyword(this.peek(k), words[k]!)) return false
    this.pos += words.length
    return true
  }

  /** True (and advances) when the next token is this punctuation or operator. */
  acceptSymbol(symbol: string): boolean {
    const t = this.peek()
    if (t && (t.kind === 'punct' || t.kind === 'op') && t.text === symbol) {
      this.pos++
      return true
    }
    return false
  }

  /**
   * Consumes the given keywords.
   * @throws SqlError SYNTAX_ERROR naming what was expected and where.
   */
  expectKeywords(...words: string[]): void {
    if (!this.acceptKeywords(...words)) this.fail(`expected ${words.join(' ')}`)
  }

  /** @throws SqlError SYNTAX_ERROR when the next token is not `symbol`. */
  expectSymbol(symbol: string): void {
    if (!this.acceptSymbol(symbol)) this.fail(`expected '${symbol}'`)
  }

  /** Consumes one identifier (word or quoted). @throws SqlError SYNTAX_ERROR otherwise. */
  expectIdentifier(what = 'an identifier'): string {
    const t = this.peek()
    const name = t ? identifierOf(t) : null
    if (name === null) this.fail(`expected ${what}`)
    this.pos++
    return name!
  }

  /** Consumes a dotted name (a.b.c) and returns its parts. */
  expectQualifiedName(what = 'a table name'): string[] {
    const parts = [this.expectIdentifier(what)]
    while (this.peek()?.text === '.') {
      this.pos++
      parts.push(this.expectIdentifier(what))
    }
    return parts
  }

  /** Consumes a string literal. @throws SqlError SYNTAX_ERROR otherwise. */
  expectString(what = 'a string literal'): string {
    const t = this.peek()
    if (t?.kind !== 'string') this.fail(`expected ${what}`)
    this.pos++
    return t!.value
  }

  /** Index in the full token list (not just significant ones) of the token at the cursor, for slicing raw tokens. */
  sourceOffset(): number {
    return this.peek()?.start ?? Number.MAX_SAFE_INTEGER
  }

  /** @throws SqlError SYNTAX_ERROR at the current token. */
  fail(message: string): never {
    const t = this.peek() ?? this.tokens[this.tokens.length - 1]
    const near = this.peek() ? ` near '${this.peek()!.text}'` : ' at end of statement'
    throw new SqlError('SYNTAX_ERROR', `Syntax error: ${message}${near}${t ? ` (line ${t.line}, column ${t.column})` : ''}`, {
      line: t?.line,
      column: t?.column
    })
  }
}
