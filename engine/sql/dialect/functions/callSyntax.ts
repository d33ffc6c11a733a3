// Spark function calls found in a token stream, and the small edit builders the per-family rewrites share.
import { isKeyword, type Token } from '../tokenizer'
import type { TextEdit } from '../textEdits'

/** Spark's ANSI (default in Spark 4) or legacy (spark.sql.ansi.enabled=false) evaluation rules. */
export type SparkMode = 'ansi' | 'legacy'

/** A call `name(args)` among the significant tokens of a statement. */
export interface Call {
  name: Token
  open: Token
  close: Token
  /** Top-level argument tokens (significant only), and the commas between them. */
  args: Token[][]
  commas: Token[]
}

/** The call whose name is at significant index i (`name (`), with its arguments split at top-level commas. */
export function callAt(sig: readonly Token[], i: number): Call | null {
  const name = sig[i]!
  const open = sig[i + 1]
  if (name.kind !== 'word' || open?.text !== '(' || sig[i - 1]?.text === '.') return null
  const args: Token[][] = [[]]
  const commas: Token[] = []
  let depth = 0
  for (let j = i + 2; j < sig.length; j++) {
    const t = sig[j]!
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++
    else if (t.text === ')' || t.text === ']' || t.text === '}') {
      if (depth === 0) {
        if (t.text !== ')') return null
        return { name, open, close: t, args: args[0]!.length === 0 && args.length === 1 ? [] : args, commas }
      }
      depth--
    }
    if (depth === 0 && t.text === ',') {
      commas.push(t)
      args.push([])
    } else args[args.length - 1]!.push(t)
  }
  return null
}

/** Replaces one token's text. */
export const replaceToken = (t: Token, text: string): TextEdit => ({ start: t.start, end: t.end, text })
/** Inserts text just before a token. */
export const insertBefore = (t: Token, text: string): TextEdit => ({ start: t.start, end: t.start, text })
/** Inserts text just after a token. */
export const insertAfter = (t: Token, text: string): TextEdit => ({ start: t.end, end: t.end, text })
/** Renames the called function. */
export const rename = (call: Call, name: string): TextEdit[] => [replaceToken(call.name, name)]

/** The argument's value when it is a single string literal. */
export function stringLiteral(arg: readonly Token[] | undefined): string | undefined {
  const t = arg && arg.length === 1 ? arg[0]! : undefined
  return t && (t.kind === 'string' || (t.kind === 'quotedIdent' && !t.backtick)) ? t.value : undefined
}

/** True when the argument is a single (unsigned or negated) number literal. */
export function isNumberLiteral(arg: readonly Token[] | undefined): boolean {
  if (!arg) return false
  const [a, b] = arg
  return (arg.length === 1 && a!.kind === 'number') || (arg.length === 2 && a!.text === '-' && b!.kind === 'number')
}

/** True when the argument is the keyword `true`/`false`. */
export function booleanLiteral(arg: readonly Token[] | undefined): boolean | undefined {
  if (!arg || arg.length !== 1) return undefined
  return isKeyword(arg[0], 'TRUE') ? true : isKeyword(arg[0], 'FALSE') ? false : undefined
}

/** A SQL string literal for `text`. */
export const sqlText = (text: string): string => `'${text.replace(/'/g, "''")}'`

/** The whole call replaced by `text` (used when Spark rejects the call: the replacement raises Spark's error). */
export function replaceCall(call: Call, text: string): TextEdit[] {
  return [{ start: call.name.start, end: call.close.end, text }]
}

/** A call that fails at run time with Spark's error class and message. */
export function sparkErrorSql(errorClass: string, message: string): string {
  return `error(${sqlText(`[${errorClass}] ${message}`)})`
}
