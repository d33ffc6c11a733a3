// The SQL lexer for the Spark-on-DuckDB dialect: tokens with exact source offsets, so rewrites can splice the user's text.
//
// Why our own lexer rather than a full SQL grammar: the dialect layer only needs to find table references, the few
// Spark statement forms DuckDB lacks, and backtick identifiers. Everything else must reach DuckDB exactly as written
// (DuckDB-native syntax such as `FROM t SELECT`, lambdas, `::` casts, PIVOT). Re-printing a parsed AST (sqlparser-rs)
// would normalise or reject that text; it also has no `@v3` time-travel suffix. A lexer that respects strings,
// comments and quoted identifiers plus small statement parsers over its tokens keeps every untouched byte intact.

export type TokenKind = 'word' | 'quotedIdent' | 'string' | 'number' | 'op' | 'punct' | 'param' | 'space' | 'comment'

export interface Token {
  kind: TokenKind
  /** Source text of the token, exactly as written. */
  text: string
  /** Identifier or string value with quotes removed and escapes resolved; the upper-cased text for words. */
  value: string
  /** Offsets into the source (end exclusive). */
  start: number
  end: number
  /** 1-based line and column of the first character. */
  line: number
  column: number
  /** quotedIdent only: true for Spark backticks (rewritten to DuckDB double quotes). */
  backtick?: boolean
}

/** Raised when the text cannot be split into tokens (unterminated string, comment or quoted identifier). */
export class TokenizeError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message)
    this.name = 'TokenizeError'
  }
}

const OPERATORS = ['<=>', '->>', '::', '<=', '>=', '<>', '!=', '==', '||', '->', '=>', '**', '//', '<<', '>>']
const SINGLE_OPS = '+-*/%=<>!|&^~?:@'
const PUNCT = '(),;.[]{}'

function isWordStart(ch: string): boolean {
  return /[A-Za-z_\u0080-\uffff]/.test(ch)
}

function isWordChar(ch: string): boolean {
  return /[A-Za-z0-9_$\u0080-\uffff]/.test(ch)
}

/**
 * Splits SQL text into tokens, keeping whitespace and comments as tokens so the text can be rebuilt exactly.
 * Strings: '...' with '' escapes (and E'...' with backslash escapes), $tag$...$tag$. Identifiers: "..." and `...`.
 * @throws TokenizeError naming the line and column of an unterminated string, comment or quoted identifier.
 */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  let line = 1
  let lineStart = 0
  const push = (kind: TokenKind, start: number, end: number, value: string, extra: Partial<Token> = {}): void => {
    const text = sql.slice(start, end)
    tokens.push({ kind, text, value, start, end, line, column: start - lineStart + 1, ...extra })
    // advance line counters over the token text
    for (let k = start; k < end; k++) {
      if (sql[k] === '\n') {
        line++
        lineStart = k + 1
      }
    }
  }
  const fail = (what: string, start: number): never => {
    throw new TokenizeError(`unterminated ${what} starting at line ${line}, column ${start - lineStart + 1}`, line, start - lineStart + 1)
  }
  while (i < sql.length) {
    const ch = sql[i]!
    const start = i
    if (/\s/.test(ch)) {
      while (i < sql.length && /\s/.test(sql[i]!)) i++
      push('space', start, i, ' ')
    } else if (ch === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++
      push('comment', start, i, '')
    } else if (ch === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2)
      if (close < 0) fail('comment', start)
      i = close + 2
      push('comment', start, i, '')
    } else if (ch === "'" || ((ch === 'E' || ch === 'e') && sql[i + 1] === "'")) {
      const backslashEscapes = ch !== "'"
      i += ch === "'" ? 1 : 2
      let value = ''
      for (;;) {
        if (i >= sql.length) fail('string', start)
        const c = sql[i]!
        if (backslashEscapes && c === '\\' && i + 1 < sql.length) {
          value += sql[i + 1]
          i += 2
        } else if (c === "'" && sql[i + 1] === "'") {
          value += "'"
          i += 2
        } else if (c === "'") {
          i++
          break
        } else {
          value += c
          i++
        }
      }
      push('string', start, i, value)
    } else if (ch === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i, i + 64))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64))![0]
      const close = sql.indexOf(tag, i + tag.length)
      if (close < 0) fail('dollar-quoted string', start)
      const value = sql.slice(i + tag.length, close)
      i = close + tag.length
      push('string', start, i, value)
    } else if (ch === '$' && /\d/.test(sql[i + 1] ?? '')) {
      i++
      while (i < sql.length && /\d/.test(sql[i]!)) i++
      push('param', start, i, sql.slice(start, i))
    } else if (ch === '"' || ch === '`') {
      i++
      let value = ''
      for (;;) {
        if (i >= sql.length) fail('quoted identifier', start)
        if (sql[i] === ch && sql[i + 1] === ch) {
          value += ch
          i += 2
        } else if (sql[i] === ch) {
          i++
          break
        } else value += sql[i++]
      }
      push('quotedIdent', start, i, value, { backtick: ch === '`' })
    } else if (/\d/.test(ch) || (ch === '.' && /\d/.test(sql[i + 1] ?? ''))) {
      while (i < sql.length && /[0-9_]/.test(sql[i]!)) i++
      if (sql[i] === '.' && sql[i + 1] !== '.') {
        i++
        while (i < sql.length && /[0-9_]/.test(sql[i]!)) i++
      }
      if (/[eE]/.test(sql[i] ?? '') && /[-+0-9]/.test(sql[i + 1] ?? '')) {
        i += 2
        while (i < sql.length && /\d/.test(sql[i]!)) i++
      }
      // Spark numeric suffixes (10L, 1.5D, 2BD) are left to DuckDB; they are rare in practice.
      push('number', start, i, sql.slice(start, i).replace(/_/g, ''))
    } else if (isWordStart(ch)) {
      while (i < sql.length && isWordChar(sql[i]!)) i++
      push('word', start, i, sql.slice(start, i).toUpperCase())
    } else if (PUNCT.includes(ch)) {
      i++
      push('punct', start, i, ch)
    } else {
      const op = OPERATORS.find((o) => sql.startsWith(o, i))
      if (op) i += op.length
      else if (SINGLE_OPS.includes(ch)) i++
      else i++ // any other character is passed through as a one-char operator; DuckDB reports it if it is wrong
      push('op', start, i, sql.slice(start, i))
    }
  }
  return tokens
}

/** True for tokens that carry meaning (not whitespace or comments). */
export function isSignificant(t: Token): boolean {
  return t.kind !== 'space' && t.kind !== 'comment'
}

/** True when `t` is the keyword `word` (case-insensitive, unquoted). */
export function isKeyword(t: Token | undefined, ...words: string[]): boolean {
  return t !== undefined && t.kind === 'word' && words.includes(t.value)
}

/** The identifier a token names: unquoted words keep their case as written, quoted ones their exact value. */
export function identifierOf(t: Token): string | null {
  if (t.kind === 'word') return t.text
  if (t.kind === 'quotedIdent') return t.value
  return null
}

/**
 * Renders tokens back to SQL for DuckDB: backtick identifiers become double-quoted identifiers; everything else
 * is copied exactly as written.
 */
export function renderTokens(tokens: readonly Token[]): string {
  let out = ''
  for (const t of tokens) out += t.kind === 'quotedIdent' && t.backtick ? `"${t.value.replace(/"/g, '""')}"` : t.text
  return out
}

export interface StatementText {
  /** Tokens of the statement without the trailing semicolon. */
  tokens: Token[]
  /** Source text of the statement, trimmed. */
  text: string
  /** 1-based line and column where the statement starts. */
  line: number
  column: number
}

/** Splits a token stream into statements on top-level semicolons, dropping empty statements (only comments or space). */
export function splitStatements(sql: string, tokens: Token[] = tokenize(sql)): StatementText[] {
  const statements: StatementText[] = []
  let current: Token[] = []
  const flush = (): void => {
    const significant = current.filter(isSignificant)
    if (significant.length > 0) {
      const first = significant[0]!
      const last = significant[significant.length - 1]!
      statements.push({ tokens: current, text: sql.slice(first.start, last.end), line: first.line, column: first.column })
    }
    current = []
  }
  for (const t of tokens) {
    if (t.kind === 'punct' && t.value === ';') flush()
    else current.push(t)
  }
  flush()
  return statements
}
