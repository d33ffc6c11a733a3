// Spark datetime functions on DuckDB: parsing/formatting with Java patterns, date arithmetic, truncation and time windows.
import { TIMESTAMPTZ, VARCHAR, INTEGER, timestampTZValue, type DuckDBTimestampTZValue } from '@duckdb/node-api'
import { insertAfter, insertBefore, rename, replaceToken, sqlText, stringLiteral, type Call, type SparkMode } from './callSyntax'
import type { CallRewrite, FunctionFamily } from './family'
import { DatePatternError, formatWithPattern, parseWithPattern } from './javaDatePattern'
import { rowFunction, SparkFunctionError } from './scalarUdf'

const TZ = "current_setting('TimeZone')"

/** `__lb_parse_ts(text, pattern, zone, strict)`: Spark's to_timestamp(text, pattern); strict raises, else NULL. */
function parseTimestampUdf() {
  return rowFunction('__lb_parse_ts', [VARCHAR, VARCHAR, VARCHAR, INTEGER], TIMESTAMPTZ, ([text, pattern, zone, strict]) => {
    let result: bigint | string
    try {
      result = parseWithPattern(String(text), String(pattern), String(zone))
    } catch (e) {
      if (e instanceof DatePatternError) throw new SparkFunctionError(`[INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION] ${e.message}`)
      throw e
    }
    if (typeof result === 'bigint') return timestampTZValue(result)
    if (strict) throw new SparkFunctionError(`[CANNOT_PARSE_TIMESTAMP] Text '${String(text)}' could not be parsed with pattern '${String(pattern)}'`)
    return null
  })
}

/** `__lb_format_ts(ts, pattern, zone)`: Spark's date_format. */
function formatTimestampUdf() {
  return rowFunction('__lb_format_ts', [TIMESTAMPTZ, VARCHAR, VARCHAR], VARCHAR, ([ts, pattern, zone]) => {
    try {
      return formatWithPattern((ts as DuckDBTimestampTZValue).micros, String(pattern), String(zone))
    } catch (e) {
      if (e instanceof DatePatternError) throw new SparkFunctionError(`[INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION] ${e.message}`)
      throw e
    }
  })
}

/** A day count Spark's date_add accepts: INT/SMALLINT/TINYINT, or a string holding a whole number. */
const DAYS_ARG = `__lb_days(n) AS CASE
  WHEN typeof(n) IN ('INTEGER', 'SMALLINT', 'TINYINT', '"NULL"') THEN TRY_CAST(n AS INTEGER)
  WHEN typeof(n) = 'VARCHAR' THEN CASE WHEN n IS NULL THEN NULL WHEN regexp_full_match(trim(CAST(n AS VARCHAR)), '[+-]?[0-9]+') THEN CAST(trim(CAST(n AS VARCHAR)) AS INTEGER)
    ELSE error('[SECOND_FUNCTION_ARGUMENT_NOT_INTEGER] The second argument of date_add/date_sub must be an integer: ' || CAST(n AS VARCHAR)) END
  ELSE error('[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] date_add/date_sub take an INT, SMALLINT or TINYINT day count, not ' || typeof(n)) END`

/** Spark's date_trunc/trunc unit names -> DuckDB's. */
const TRUNC_UNIT = `__lb_trunc_unit(u) AS CASE upper(u) WHEN 'YEAR' THEN 'year' WHEN 'YYYY' THEN 'year' WHEN 'YY' THEN 'year'
  WHEN 'QUARTER' THEN 'quarter' WHEN 'MONTH' THEN 'month' WHEN 'MON' THEN 'month' WHEN 'MM' THEN 'month' WHEN 'WEEK' THEN 'week'
  WHEN 'DAY' THEN 'day' WHEN 'DD' THEN 'day' WHEN 'HOUR' THEN 'hour' WHEN 'MINUTE' THEN 'minute' WHEN 'SECOND' THEN 'second'
  WHEN 'MILLISECOND' THEN 'millisecond' WHEN 'MICROSECOND' THEN 'microsecond' END`

/** Day-of-week index (Sunday 0) of Spark's next_day names: 'MO', 'MON', 'MONDAY'. */
const DAY_INDEX = `__lb_day_index(w) AS CASE WHEN upper(w) IN ('SU', 'SUN', 'SUNDAY') THEN 0 WHEN upper(w) IN ('MO', 'MON', 'MONDAY') THEN 1
  WHEN upper(w) IN ('TU', 'TUE', 'TUESDAY') THEN 2 WHEN upper(w) IN ('WE', 'WED', 'WEDNESDAY') THEN 3 WHEN upper(w) IN ('TH', 'THU', 'THURSDAY') THEN 4
  WHEN upper(w) IN ('FR', 'FRI', 'FRIDAY') THEN 5 WHEN upper(w) IN ('SA', 'SAT', 'SATURDAY') THEN 6 END`

/** Spark's unix_timestamp: strings parsed with the pattern (NULL when they do not fit), dates and timestamps as they are. */
const unixTimestamp = (pattern: string): string =>
  `CAST(floor(epoch(CASE WHEN typeof(x) = 'VARCHAR' THEN __lb_parse_ts(CAST(x AS VARCHAR), ${pattern}, ${TZ}, 0) ELSE TRY_CAST(x AS TIMESTAMPTZ) END)) AS BIGINT)`

function macros(mode: SparkMode): string[] {
  const strict = mode === 'ansi' ? 1 : 0
  const cast = mode === 'ansi' ? 'CAST' : 'TRY_CAST'
  const window = (ts: string, w: string): string =>
    `{'start': time_bucket(CAST(${w} AS INTERVAL), CAST(${ts} AS TIMESTAMPTZ), TIMESTAMPTZ '1970-01-01 00:00:00+00'), 'end': time_bucket(CAST(${w} AS INTERVAL), CAST(${ts} AS TIMESTAMPTZ), TIMESTAMPTZ '1970-01-01 00:00:00+00') + CAST(${w} AS INTERVAL)}`
  return [
    DAYS_ARG, TRUNC_UNIT, DAY_INDEX,
    `__lb_to_date(x) AS ${cast}(x AS DATE)`,
    `__lb_to_date(x, f) AS CAST(__lb_parse_ts(CAST(x AS VARCHAR), f, ${TZ}, ${strict}) AS DATE)`,
    `__lb_to_timestamp(x) AS ${cast}(x AS TIMESTAMPTZ)`,
    `__lb_to_timestamp(x, f) AS __lb_parse_ts(CAST(x AS VARCHAR), f, ${TZ}, ${strict})`,
    `__lb_unix_timestamp() AS CAST(floor(epoch(current_timestamp)) AS BIGINT)`,
    `__lb_unix_timestamp(x) AS ${unixTimestamp("'yyyy-MM-dd HH:mm:ss'")}`,
    `__lb_unix_timestamp(x, f) AS ${unixTimestamp('f')}`,
    `__lb_from_unixtime(s) AS __lb_format_ts(to_timestamp(CAST(s AS DOUBLE)), 'yyyy-MM-dd HH:mm:ss', ${TZ})`,
    `__lb_from_unixtime(s, f) AS __lb_format_ts(to_timestamp(CAST(s AS DOUBLE)), f, ${TZ})`,
    `__lb_date_format(x, f) AS __lb_format_ts(CAST(x AS TIMESTAMPTZ), f, ${TZ})`,
    `__lb_date_add(d, n) AS CAST(${cast}(d AS DATE) + __lb_days(n) AS DATE)`,
    `__lb_date_sub(d, n) AS CAST(${cast}(d AS DATE) - __lb_days(n) AS DATE)`,
    `__lb_datediff(e, s) AS CAST(${cast}(e AS DATE) - ${cast}(s AS DATE) AS INTEGER)`,
    `__lb_add_months(d, n) AS CAST(${cast}(d AS DATE) + to_months(CAST(n AS INTEGER)) AS DATE)`,
    // Whole months when both days match or both are month ends; otherwise the remainder over a 31-day month, as Spark.
    `__lb_months_between(a, b) AS ${monthsBetweenBody('true')}`,
    `__lb_months_between(a, b, r) AS ${monthsBetweenBody('r')}`,
    `__lb_date_trunc(u, x) AS date_trunc(__lb_trunc_unit(u), CAST(x AS TIMESTAMPTZ))`,
    `__lb_trunc(x, u) AS CAST(date_trunc(__lb_trunc_unit(u), ${cast}(x AS DATE)) AS DATE)`,
    `__lb_last_day(x) AS last_day(${cast}(x AS DATE))`,
    // Spark numbers days of the week 1 (Sunday) .. 7 (Saturday); DuckDB's dayofweek is 0 (Sunday) .. 6.
    `__lb_dayofweek(x) AS CAST(dayofweek(${cast}(x AS DATE)) + 1 AS INTEGER)`,
    // Spark's weekday: 0 (Monday) .. 6 (Sunday), DuckDB's isodow minus one.
    `__lb_weekday(x) AS CAST(isodow(${cast}(x AS DATE)) - 1 AS INTEGER)`,
    `__lb_next_day(x, w) AS CASE WHEN x IS NULL THEN NULL WHEN __lb_day_index(w) IS NULL AND w IS NOT NULL THEN ${mode === 'ansi' ? "error('[ILLEGAL_DAY_OF_WEEK] Illegal input for day of week: ' || w)" : 'NULL'}
      ELSE CAST(${cast}(x AS DATE) + CAST(((__lb_day_index(w) - dayofweek(${cast}(x AS DATE)) + 6) % 7) + 1 AS INTEGER) AS DATE) END`,
    `__lb_window(ts, w) AS ${window('ts', 'w')}`,
    // Sliding windows: every window of width w starting on a multiple of s that contains ts, latest first (Spark's expansion).
    `__lb_windows(ts, w, s) AS list_filter(list_transform(range(0, CAST(ceil(epoch(CAST(w AS INTERVAL)) / epoch(CAST(s AS INTERVAL))) AS BIGINT)),
      k -> {'start': time_bucket(CAST(s AS INTERVAL), CAST(ts AS TIMESTAMPTZ), TIMESTAMPTZ '1970-01-01 00:00:00+00') - k * CAST(s AS INTERVAL),
            'end': time_bucket(CAST(s AS INTERVAL), CAST(ts AS TIMESTAMPTZ), TIMESTAMPTZ '1970-01-01 00:00:00+00') - k * CAST(s AS INTERVAL) + CAST(w AS INTERVAL)}),
      x -> x['start'] <= CAST(ts AS TIMESTAMPTZ) AND CAST(ts AS TIMESTAMPTZ) < x['end'])`
  ]
}

/** Spark's months_between over the wall clocks of a and b (session zone), rounded to 8 digits unless r is false. */
function monthsBetweenBody(r: string): string {
  const ta = 'CAST(CAST(a AS TIMESTAMPTZ) AS TIMESTAMP)'
  const tb = 'CAST(CAST(b AS TIMESTAMPTZ) AS TIMESTAMP)'
  const months = `((year(${ta}) - year(${tb})) * 12 + month(${ta}) - month(${tb}))`
  const secondsInMonth = (t: string): string => `((day(${t}) - 1) * 86400 + epoch(${t}) - epoch(date_trunc('day', ${t})))`
  const whole = `(day(${ta}) = day(${tb}) OR (${ta} >= last_day(${ta}) AND ${tb} >= last_day(${tb}) AND day(${ta}) = day(last_day(${ta})) AND day(${tb}) = day(last_day(${tb}))))`
  const raw = `CASE WHEN ${whole} THEN CAST(${months} AS DOUBLE) ELSE ${months} + (${secondsInMonth(ta)} - ${secondsInMonth(tb)}) / 2678400.0 END`
  return `CASE WHEN ${r} THEN round(${raw}, 8) ELSE ${raw} END`
}

/** `name(x)` -> `name(CAST(x AS TIMESTAMP))`: Spark's field extractors accept strings and read the session-zone wall clock. */
const fieldOfTimestamp = (duckName: string): CallRewrite => (call) =>
  call.args.length === 1 ? [replaceToken(call.name, duckName), insertAfter(call.open, 'CAST(CAST('), insertBefore(call.close, ' AS TIMESTAMPTZ) AS TIMESTAMP)')] : null

/** `datediff(unit, a, b)` (Spark 3.3+ timestampdiff) -> DuckDB's whole-unit `date_sub('unit', a, b)`. */
function unitDiff(call: Call): ReturnType<CallRewrite> {
  if (call.args.length !== 3) return call.args.length === 2 ? rename(call, '__lb_datediff') : null
  const unit = call.args[0]!
  if (unit.length !== 1 || unit[0]!.kind !== 'word') return null
  return [
    { start: call.name.start, end: call.commas[0]!.end, text: `date_sub(${sqlText(unit[0]!.value.toLowerCase())}, CAST(CAST(` },
    insertBefore(call.commas[1]!, ' AS TIMESTAMPTZ) AS TIMESTAMP)'), insertAfter(call.commas[1]!, ' CAST(CAST('),
    insertBefore(call.close, ' AS TIMESTAMPTZ) AS TIMESTAMP)')
  ]
}

/** Java pattern runs DuckDB's strftime prints identically (zero-padded numeric fields). */
const STRFTIME_FIELDS: Record<string, string> = { yyyy: '%Y', MM: '%m', dd: '%d', HH: '%H', mm: '%M', ss: '%S' }

/** A literal pattern of only fixed-width numeric fields and separators as strftime text, else null. */
function strftimeOf(pattern: string): string | null {
  const pieces = pattern.match(/yyyy|MM|dd|HH|mm|ss|'T'|[-:/ .,]/g)
  if (!pieces || pieces.join('') !== pattern) return null
  return pieces.map((p) => STRFTIME_FIELDS[p] ?? (p === "'T'" ? 'T' : p)).join('')
}

/** date_format: DuckDB's native strftime for simple literal patterns (fast), the Java-pattern formatter otherwise. */
const dateFormat: CallRewrite = (call) => {
  if (call.args.length !== 2) return null
  const pattern = stringLiteral(call.args[1])
  const strftime = pattern === undefined ? null : strftimeOf(pattern)
  if (strftime === null) return rename(call, '__lb_date_format')
  return [replaceToken(call.name, 'strftime'), insertAfter(call.open, 'CAST('), insertBefore(call.commas[0]!, ' AS TIMESTAMPTZ)'), replaceToken(call.args[1]![0]!, sqlText(strftime))]
}

/** Renames when the argument count is one Spark allows. */
const renameFor = (target: string, ...counts: number[]): CallRewrite => (call) => (counts.includes(call.args.length) ? rename(call, target) : null)

export const datetimeFamily: FunctionFamily = {
  family: 'datetime',
  macros,
  udfs: () => [parseTimestampUdf(), formatTimestampUdf()],
  rewrites: {
    TO_DATE: renameFor('__lb_to_date', 1, 2),
    TO_TIMESTAMP: renameFor('__lb_to_timestamp', 1, 2),
    UNIX_TIMESTAMP: renameFor('__lb_unix_timestamp', 0, 1, 2),
    TO_UNIX_TIMESTAMP: renameFor('__lb_unix_timestamp', 1, 2),
    FROM_UNIXTIME: renameFor('__lb_from_unixtime', 1, 2),
    DATE_FORMAT: dateFormat,
    DATE_ADD: renameFor('__lb_date_add', 2),
    DATEADD: renameFor('__lb_date_add', 2),
    DATE_SUB: renameFor('__lb_date_sub', 2),
    DATEDIFF: unitDiff,
    TIMESTAMPDIFF: unitDiff,
    ADD_MONTHS: renameFor('__lb_add_months', 2),
    MONTHS_BETWEEN: renameFor('__lb_months_between', 2, 3),
    DATE_TRUNC: renameFor('__lb_date_trunc', 2),
    TRUNC: (call) => (call.args.length === 2 && stringLiteral(call.args[1]) !== undefined ? rename(call, '__lb_trunc') : null),
    LAST_DAY: renameFor('__lb_last_day', 1),
    DAYOFWEEK: renameFor('__lb_dayofweek', 1),
    WEEKDAY: renameFor('__lb_weekday', 1),
    NEXT_DAY: renameFor('__lb_next_day', 2),
    YEAR: fieldOfTimestamp('year'),
    MONTH: fieldOfTimestamp('month'),
    DAY: fieldOfTimestamp('day'),
    DAYOFMONTH: fieldOfTimestamp('day'),
    HOUR: fieldOfTimestamp('hour'),
    MINUTE: fieldOfTimestamp('minute'),
    QUARTER: fieldOfTimestamp('quarter'),
    DAYOFYEAR: fieldOfTimestamp('dayofyear'),
    WINDOW: (call) => (call.args.length === 2 ? rename(call, '__lb_window') : call.args.length === 3 ? [replaceToken(call.name, 'unnest(__lb_windows'), insertAfter(call.close, ')')] : null),
    CURRENT_TIMESTAMP: (call) => (call.args.length === 0 ? [replaceToken(call.open, ''), replaceToken(call.close, '')] : null),
    CURRENT_DATE: (call) => (call.args.length === 0 ? [replaceToken(call.open, ''), replaceToken(call.close, '')] : null),
    NOW: (call) => (call.args.length === 0 ? [replaceToken(call.name, 'current_timestamp'), replaceToken(call.open, ''), replaceToken(call.close, '')] : null)
  },
  notes: [
    { name: 'date_format', status: 'yes', differences: ['Pattern letters G (era), w/W (week-based) and localized forms beyond en_US are not supported.'] },
    { name: 'to_date', status: 'yes', differences: [] },
    { name: 'to_timestamp', status: 'yes', differences: ['Without a pattern, text is parsed by DuckDB\'s timestamp cast (accepts a few forms Spark does not).'] },
    { name: 'from_unixtime', status: 'yes', differences: [] },
    { name: 'unix_timestamp', status: 'yes', differences: ['Unparseable text gives NULL in both modes (Spark 4 ANSI raises).'] },
    { name: 'datediff', status: 'yes', differences: [] },
    { name: 'date_add', status: 'yes', differences: [] },
    { name: 'date_sub', status: 'yes', differences: [] },
    { name: 'add_months', status: 'yes', differences: [] },
    { name: 'months_between', status: 'yes', differences: [] },
    { name: 'current_timestamp', status: 'yes', differences: ['Evaluated once per statement by DuckDB (Spark: once per query), in the session time zone.'] },
    { name: 'year', status: 'yes', differences: [] },
    { name: 'month', status: 'yes', differences: [] },
    { name: 'day', status: 'yes', differences: [] },
    { name: 'hour', status: 'yes', differences: [] },
    { name: 'date_trunc', status: 'yes', differences: ['An unknown unit raises a DuckDB error (Spark returns NULL).'] },
    { name: 'window', status: 'partial', differences: [
      'Tumbling window(ts, width) is a struct {start, end} usable in SELECT and GROUP BY.',
      'Sliding window(ts, width, slide) expands to one row per window in the SELECT list; in GROUP BY, expand it in a subquery first.',
      'The startTime (4th) argument is not supported.'
    ] }
  ]
}
