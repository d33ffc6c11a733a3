// Spark TIMESTAMP literals with a zone suffix ('2020-01-01 10:00:00UTC+08:00', '... Europe/Paris') as DuckDB SQL.
import { sqlText } from './callSyntax'

/** The date-time part Spark's literal parser reads before an optional zone id. */
const LOCAL_PART = /^\s*([+-]?\d{4,6}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d{0,9})?)?)?)(.*)$/s
/** `Z`, `UTC`, `GMT`, `UT` alone: UTC. */
const UTC_NAMES = /^(?:Z|UTC|GMT|UT)$/i
/** An offset, bare or after UTC/GMT/UT: `+8`, `-07:00`, `+0530`, `+08:00:00`, `+080000` (Java's ZoneOffset forms). */
const OFFSET = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/i
/** A region id (`Europe/Paris`, `America/Argentina/Buenos_Aires`), resolved by DuckDB's ICU time zones. */
const REGION = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)+$/

/**
 * The DuckDB expression for `TIMESTAMP 'text'` when the text ends in a zone id, or null when it has none (DuckDB's own
 * literal then applies) or the suffix is not a zone Spark accepts. The instant is turned into the session zone's
 * wall-clock TIMESTAMP, which is how Lakebench represents Spark timestamps; an unknown region id fails in DuckDB with
 * its time zone error.
 */
export function zonedTimestampSql(text: string): string | null {
  const match = LOCAL_PART.exec(text)
  if (!match) return null
  const local = match[1]!.replace('T', ' ')
  const zone = match[2]!.trim()
  if (zone === '') return null
  const naive = `TIMESTAMP ${sqlText(local)}`
  if (UTC_NAMES.test(zone)) return `CAST(timezone('UTC', ${naive}) AS TIMESTAMP)`
  const offset = OFFSET.exec(zone)
  if (offset) {
    const [, sign, hours, minutes = '0', seconds = '0'] = offset
    if (Number(hours) > 18 || Number(minutes) > 59 || Number(seconds) > 59) return null
    const total = (sign === '-' ? -1 : 1) * (Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds))
    return `CAST(timezone('UTC', ${naive} - INTERVAL (${total}) SECOND) AS TIMESTAMP)`
  }
  if (REGION.test(zone)) return `CAST(timezone(${sqlText(zone)}, ${naive}) AS TIMESTAMP)`
  return null
}
