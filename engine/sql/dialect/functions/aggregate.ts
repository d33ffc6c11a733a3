// Spark aggregates and window functions on DuckDB: collect_list/set (NULLs skipped), first/last ignoreNulls, percentile_approx.
import { booleanLiteral, insertAfter, rename, replaceToken, type Call } from './callSyntax'
import type { CallRewrite, FunctionFamily } from './family'
import { renderTokens, type Token } from '../tokenizer'

/** The argument's text for repeating it in a FILTER clause, when it holds no call that other rewrites might change. */
function repeatable(arg: readonly Token[]): string | null {
  const hasCall = arg.some((t, k) => t.kind === 'word' && arg[k + 1]?.text === '(')
  return hasCall ? null : renderTokens(arg)
}

/** `agg(x)` -> `duck(x) FILTER (WHERE x IS NOT NULL)`, or list_filter over the result when x cannot be repeated. */
function skippingNulls(call: Call, duck: string, distinct = false): ReturnType<CallRewrite> {
  const arg = call.args[0]!
  const text = repeatable(arg)
  if (text === null) {
    return [replaceToken(call.name, `list_filter(${duck}`), ...(distinct ? [insertAfter(call.open, 'DISTINCT ')] : []), insertAfter(call.close, ', e -> e IS NOT NULL)')]
  }
  return [replaceToken(call.name, duck), ...(distinct ? [insertAfter(call.open, 'DISTINCT ')] : []), insertAfter(call.close, ` FILTER (WHERE (${text}) IS NOT NULL)`)]
}

/** first(x[, ignoreNulls]) / last(x[, ignoreNulls]). */
const firstLast = (duck: string): CallRewrite => (call) => {
  if (call.args.length === 1) return rename(call, duck)
  if (call.args.length !== 2) return null
  const ignore = booleanLiteral(call.args[1])
  if (ignore === undefined) return null
  const dropSecond = { start: call.commas[0]!.start, end: call.close.start, text: '' }
  return ignore ? [...(skippingNulls({ ...call, args: [call.args[0]!] }, duck) ?? []), dropSecond] : [replaceToken(call.name, duck), dropSecond]
}

export const aggregateFamily: FunctionFamily = {
  family: 'aggregate/window',
  macros: () => [],
  rewrites: {
    COLLECT_LIST: (call) => (call.args.length === 1 ? skippingNulls(call, 'list') : null),
    ARRAY_AGG: (call) => (call.args.length === 1 ? skippingNulls(call, 'list') : null),
    COLLECT_SET: (call) => (call.args.length === 1 ? skippingNulls(call, 'list', true) : null),
    PERCENTILE_APPROX: (call) => (call.args.length === 2 || call.args.length === 3
      ? [replaceToken(call.name, 'quantile_disc'), ...(call.args.length === 3 ? [{ start: call.commas[1]!.start, end: call.close.start, text: '' }] : [])]
      : null),
    APPROX_PERCENTILE: (call) => (call.args.length === 2 || call.args.length === 3
      ? [replaceToken(call.name, 'quantile_disc'), ...(call.args.length === 3 ? [{ start: call.commas[1]!.start, end: call.close.start, text: '' }] : [])]
      : null),
    // Spark accepts (and ignores) arguments to the ranking functions: rank(b) OVER (...).
    ...Object.fromEntries(['ROW_NUMBER', 'RANK', 'DENSE_RANK', 'PERCENT_RANK', 'CUME_DIST'].map((name) => [name,
      (call: Call) => (call.args.length > 0 ? [{ start: call.open.end, end: call.close.start, text: '' }] : null)])),
    FIRST: firstLast('first'),
    FIRST_VALUE: firstLast('first'),
    LAST: firstLast('last'),
    LAST_VALUE: firstLast('last')
  },
  notes: [
    { name: 'collect_list', status: 'yes', differences: ['Over zero rows the result is NULL (Spark: an empty array).'] },
    { name: 'collect_set', status: 'yes', differences: ['Element order differs from Spark (both are unordered).', 'Not usable as a window function (DISTINCT).'] },
    { name: 'percentile_approx', status: 'partial', differences: ['Computed exactly (quantile_disc): equals Spark\'s result whenever Spark\'s sketch is exact (accuracy >= row count); the accuracy argument is ignored.'] },
    { name: 'approx_count_distinct', status: 'partial', differences: ['DuckDB\'s HyperLogLog: estimates on large inputs differ from Spark\'s HLL++; relativeSD is not accepted.'] },
    { name: 'first', status: 'yes', differences: [] },
    { name: 'last', status: 'yes', differences: [] },
    { name: 'row_number', status: 'yes', differences: [] },
    { name: 'rank', status: 'yes', differences: [] },
    { name: 'dense_rank', status: 'yes', differences: [] },
    { name: 'lag', status: 'yes', differences: [] },
    { name: 'lead', status: 'yes', differences: [] }
  ]
}
