// The sbit date_lookup history table (one row per day of 2024), loaded once when the sample lakehouse is created.
import type { SqlEngine } from '../../engine/sql/queryRunner'

const YEAR = 2024
const DAY_MS = 86_400_000
/** 2024 is a leap year. */
export const DATE_LOOKUP_DAYS = 366

export interface DateLookupRow {
  date: string
  week: number
  year: number
  month: number
  dayofweek: number
  dayofmonth: number
  dayofyear: number
  week_part: string
}

/** ISO-8601 week number and its year (the Thursday rule). */
function isoWeek(ms: number): { week: number; year: number } {
  const d = new Date(ms)
  const dayOfWeek = (d.getUTCDay() + 6) % 7 // Monday = 0
  const thursday = ms - dayOfWeek * DAY_MS + 3 * DAY_MS
  const year = new Date(thursday).getUTCFullYear()
  const firstThursday = Date.UTC(year, 0, 4) - ((new Date(Date.UTC(year, 0, 4)).getUTCDay() + 6) % 7) * DAY_MS + 3 * DAY_MS
  return { week: 1 + Math.round((thursday - firstThursday) / (7 * DAY_MS)), year }
}

/** The 366 rows: Spark's dayofweek numbering (1 = Sunday), week_part = ISO `yyyy-Www`. */
export function dateLookupRows(): DateLookupRow[] {
  const first = Date.UTC(YEAR, 0, 1)
  return Array.from({ length: DATE_LOOKUP_DAYS }, (_, i) => {
    const ms = first + i * DAY_MS
    const d = new Date(ms)
    const { week, year } = isoWeek(ms)
    return {
      date: d.toISOString().slice(0, 10), week, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1,
      dayofweek: d.getUTCDay() + 1, dayofmonth: d.getUTCDate(), dayofyear: i + 1,
      week_part: `${year}-W${String(week).padStart(2, '0')}`
    }
  })
}

/**
 * Creates and fills bronze.date_lookup (a plain Delta table the pipeline reads as an external source, as a one-off
 * history load would). Uses only CREATE TABLE and INSERT ... VALUES.
 * @throws SqlError when the table already exists or a statement fails.
 */
export async function loadDateLookup(engine: SqlEngine): Promise<void> {
  const values = dateLookupRows().map((r) =>
    `(DATE '${r.date}', ${r.week}, ${r.year}, ${r.month}, ${r.dayofweek}, ${r.dayofmonth}, ${r.dayofyear}, '${r.week_part}')`)
  await engine.execute(`
CREATE TABLE bronze.date_lookup (
  \`date\` DATE, week INT, year INT, month INT, dayofweek INT, dayofmonth INT, dayofyear INT, week_part STRING
) USING DELTA COMMENT 'Calendar of 2024 (history load): ISO week and week_part per day';
INSERT INTO bronze.date_lookup VALUES
${values.join(',\n')};
`)
}
