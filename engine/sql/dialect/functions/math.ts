// Spark arithmetic on DuckDB: round (HALF_UP) / bround (HALF_EVEN) with ANSI overflow errors, floor/ceil to BIGINT, pmod.
import { rename, type SparkMode } from './callSyntax'
import type { CallRewrite, FunctionFamily } from './family'
import { operatorMacros } from './operators'

const INTEGRAL = `typeof(x) IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT')`

/**
 * Integers at a negative scale round HALF_UP exactly in HUGEINT (DuckDB goes through DOUBLE near the BIGINT limit):
 * `__lb_round_half_up(h, d)` is the exact result, `__lb_int_modulus(x)` 2^bits of x's type.
 */
const exactRoundMacros = [
  // 10^k exactly; from 10^38 on every integer rounds to 0 anyway, so k is capped there.
  `__lb_pow10(k) AS CAST('1' || repeat('0', CAST(least(k, 38) AS INTEGER)) AS HUGEINT)`,
  `__lb_int_modulus(x) AS CAST(CASE typeof(x) WHEN 'TINYINT' THEN '256' WHEN 'SMALLINT' THEN '65536' WHEN 'INTEGER' THEN '4294967296' ELSE '18446744073709551616' END AS HUGEINT)`,
  // Java's narrowing (BigDecimal.longValue/intValue): the low bits as a two's-complement number.
  `__lb_wrap(r, m) AS ((r + m // 2) % m + m) % m - m // 2`,
  `__lb_round_half_up(h, d) AS sign(h) * ((abs(h) + __lb_pow10(-d) // 2) // __lb_pow10(-d) * __lb_pow10(-d))`
]

/** The exact integer result of round(x, d < 0): wrapped like Java in legacy mode, ARITHMETIC_OVERFLOW under ANSI. */
function integerResult(mode: SparkMode): string {
  const exact = '__lb_round_half_up(TRY_CAST(x AS HUGEINT), d)'
  if (mode === 'legacy') return `__lb_wrap(${exact}, __lb_int_modulus(x))`
  return `CASE WHEN ${exact} <> __lb_wrap(${exact}, __lb_int_modulus(x)) THEN error('[ARITHMETIC_OVERFLOW] Overflow in round(' || CAST(x AS VARCHAR) || ', ' || CAST(d AS VARCHAR) || '). If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.') ELSE ${exact} END`
}

function macros(mode: SparkMode): string[] {
  // DuckDB's round on integers wraps on overflow (Spark's legacy result); ANSI raises instead.
  const overflow = (rounded: string, exact = 'round(CAST(x AS DOUBLE), d)'): string => mode === 'ansi'
    ? `CASE WHEN ${INTEGRAL} AND ${exact} <> CAST(${rounded} AS DOUBLE) THEN error('[ARITHMETIC_OVERFLOW] Overflow in round(' || CAST(x AS VARCHAR) || ', ' || CAST(d AS VARCHAR) || '). If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.') ELSE ${rounded} END`
    : rounded
  // HALF_EVEN for integers at a negative scale: a tie whose HALF_UP result is odd moves one toward zero first.
  const tieShift = `CASE WHEN d < 0 AND abs(CAST(x AS HUGEINT)) % CAST(pow(10, -d) AS HUGEINT) * 2 = CAST(pow(10, -d) AS HUGEINT)
      AND (abs(CAST(x AS HUGEINT)) // CAST(pow(10, -d) AS HUGEINT)) % 2 = 0 THEN CAST(sign(x) AS TINYINT) ELSE CAST(0 AS TINYINT) END`
  return [
    ...exactRoundMacros,
    `__lb_round(x) AS ${overflow('round(x, 0)').replace(/\bd\b/g, '0')}`,
    `__lb_round(x, d) AS CASE WHEN d < 0 AND ${INTEGRAL} THEN cast_to_type(${integerResult(mode)}, round(x, d)) ELSE round(x, d) END`,
    `__lb_bround_int(x) AS round_even(x, 0)`,
    `__lb_bround_int(x, d) AS ${overflow(`round(x - ${tieShift}, d)`, `round(CAST(x AS DOUBLE) - ${tieShift}, d)`)}`,
    `__lb_bround(x) AS round_even(x, 0)`,
    `__lb_bround(x, d) AS round_even(x, d)`,
    `__lb_floor(x) AS CAST(floor(x) AS BIGINT)`,
    `__lb_ceil(x) AS CAST(ceil(x) AS BIGINT)`,
    `__lb_pmod(a, n) AS CASE WHEN n = 0 THEN NULL WHEN a % n < 0 THEN (a % n + n) % n ELSE a % n END`,
    ...operatorMacros(mode)
  ]
}

/** bround on an integer literal keeps the integer type (DuckDB's round_even would return DOUBLE). */
const bround: CallRewrite = (call) => {
  const first = call.args[0]
  if (!first || call.args.length > 2) return null
  const integerLiteral = first.length <= 3 && first.some((t) => t.kind === 'number' && !t.value.includes('.')) && !first.some((t) => t.kind === 'number' && t.value.includes('.'))
  return rename(call, integerLiteral ? '__lb_bround_int' : '__lb_bround')
}

export const mathFamily: FunctionFamily = {
  family: 'math',
  macros,
  rewrites: {
    ROUND: (call) => (call.args.length === 1 || call.args.length === 2 ? rename(call, '__lb_round') : null),
    BROUND: bround,
    FLOOR: (call) => (call.args.length === 1 ? rename(call, '__lb_floor') : null),
    CEIL: (call) => (call.args.length === 1 ? rename(call, '__lb_ceil') : null),
    CEILING: (call) => (call.args.length === 1 ? rename(call, '__lb_ceil') : null),
    PMOD: (call) => (call.args.length === 2 ? rename(call, '__lb_pmod') : null)
  },
  notes: [
    { name: 'round', status: 'yes', differences: ['Integers at a negative scale round HALF_UP exactly; overflow raises ARITHMETIC_OVERFLOW under ANSI and wraps in legacy mode, as Spark.'] },
    { name: 'bround', status: 'partial', differences: ['On integer columns (not literals) the result is DOUBLE (DuckDB round_even).'] },
    { name: 'floor', status: 'yes', differences: ['Decimal input returns BIGINT (Spark: DECIMAL(p,0)); values print the same.', 'The two-argument floor(x, scale) is not supported.'] },
    { name: 'ceil', status: 'yes', differences: ['Decimal input returns BIGINT (Spark: DECIMAL(p,0)); values print the same.', 'The two-argument ceil(x, scale) is not supported.'] },
    { name: '/ (divide)', status: 'yes', differences: ['Integer / integer gives DOUBLE as Spark; a zero divisor (/, %, div) raises DIVIDE_BY_ZERO under ANSI and gives NULL in legacy mode, as Spark.'] },
    { name: 'div', status: 'yes', differences: [] },
    { name: '% / mod', status: 'yes', differences: ['The sign follows the dividend, as Java.'] },
    { name: 'integer overflow', status: 'partial', differences: ['+, -, * overflow raises DuckDB\'s "Overflow in addition of INT32" error in both modes (Spark: ARITHMETIC_OVERFLOW under ANSI; legacy Spark wraps around).'] },
    { name: 'string/number comparison', status: 'partial', differences: ['A string literal compared with a numeric literal is cast as Spark does (ANSI: CAST_INVALID_INPUT for non-integers vs integers); column operands follow DuckDB\'s implicit casts.'] }
  ]
}
