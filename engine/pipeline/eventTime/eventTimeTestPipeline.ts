// Test support: a heart-rate pipeline with 10-minute windows and sessions over watermarked landing JSON, its seeded data, and batch references.

export const MINUTE = 60_000
export const DELAY_MS = 5 * MINUTE
const START = Date.UTC(2026, 0, 15, 10, 0, 0)

export const HR_PIPELINE = {
  'pipelines/hr/pipeline.json': JSON.stringify({ target: 'silver' }),
  'pipelines/hr/01_bronze.sql': `
CREATE OR REFRESH STREAMING TABLE bronze.hr
AS SELECT device, CAST(ts AS TIMESTAMP) AS ts, bpm FROM STREAM read_files('landing/hr', format => 'json');
`,
  'pipelines/hr/02_gold.sql': `
CREATE OR REFRESH STREAMING TABLE gold.hr_10min
COMMENT 'heart rate per device and 10-minute window'
AS SELECT window(ts, '10 minutes') AS window, device, count(*) AS readings, avg(bpm) AS avg_bpm, min(bpm) AS min_bpm, max(bpm) AS max_bpm
FROM STREAM(bronze.hr) WATERMARK ts DELAY OF INTERVAL 5 MINUTES AS r
GROUP BY window(ts, '10 minutes'), device;

CREATE OR REFRESH STREAMING TABLE gold.hr_sessions
AS SELECT device, session_window(ts, '4 minutes') AS session, count(*) AS readings, sum(bpm) AS total_bpm
FROM STREAM(bronze.hr) WATERMARK ts DELAY OF INTERVAL '5' MINUTE
WHERE bpm > 0
GROUP BY device, session_window(ts, '4 minutes');
`
}

export interface Reading { device: string; ts: number; bpm: number }

/** Deterministic readings for landing file `index`: mostly moving forward 20 minutes per file, some out of order, a few late. */
export function readingsOf(index: number): Reading[] {
  // mulberry32: 32-bit integer arithmetic, so the sequence is exact and the same on every run.
  let seed = (1234 + index * 7919) >>> 0
  const next = (n: number): number => {
    seed = (seed + 0x6d2b79f5) >>> 0
    let t = seed
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (((t ^ (t >>> 14)) >>> 0) % n)
  }
  const base = START + index * 20 * MINUTE
  const rows: Reading[] = []
  for (let i = 0; i < 18; i++) rows.push({ device: ['a', 'b', 'c'][i % 3]!, ts: base + next(20 * 60) * 1000, bpm: 55 + next(90) })
  // Stragglers from the previous file's span: within the delay they still count, beyond it they are late.
  if (index > 0) for (let i = 0; i < 3; i++) rows.push({ device: ['a', 'b', 'c'][next(3)]!, ts: base - (2 + next(16)) * MINUTE, bpm: 60 + next(40) })
  return rows
}

export function fileOf(index: number): Record<string, string> {
  const lines = readingsOf(index).map((r) => JSON.stringify({ device: r.device, ts: new Date(r.ts).toISOString(), bpm: r.bpm }))
  return { [`landing/hr/f${index}.json`]: lines.join('\n') + '\n' }
}

/** A last file far ahead in event time, so every earlier window closes. */
export function closingFile(): Record<string, string> {
  return { 'landing/hr/zz_close.json': JSON.stringify({ device: 'z', ts: new Date(START + 24 * 60 * MINUTE).toISOString(), bpm: 1 }) + '\n' }
}

/** Spark's rule applied by hand: batch k's watermark is max event time of batches < k minus the delay; rows <= it are late. */
export function splitByWatermark(batches: Reading[][]): { onTime: Reading[]; late: (Reading & { watermark: number })[] } {
  const onTime: Reading[] = []
  const late: (Reading & { watermark: number })[] = []
  let max: number | null = null
  for (const batch of batches) {
    const watermark = max === null ? null : max - DELAY_MS
    for (const r of batch) (watermark !== null && r.ts <= watermark ? late.push({ ...r, watermark }) : onTime.push(r))
    for (const r of batch) max = max === null ? r.ts : Math.max(max, r.ts)
  }
  return { onTime, late }
}

/** Batch reference for gold.hr_10min: per device and epoch-aligned 10-minute window. */
export function tumblingReference(rows: Reading[]): string[] {
  const groups = new Map<string, number[]>()
  for (const r of rows) {
    const start = Math.floor(r.ts / (10 * MINUTE)) * 10 * MINUTE
    const key = `${new Date(start).toISOString()} ${r.device}`
    groups.set(key, [...(groups.get(key) ?? []), r.bpm])
  }
  return [...groups].map(([key, v]) => `${key} ${v.length} ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(6)} ${Math.min(...v)} ${Math.max(...v)}`).sort()
}

/** Batch reference for gold.hr_sessions: per device, readings closer than the gap form one session [first, last + gap). */
export function sessionReference(rows: Reading[], gapMs: number): string[] {
  const out: string[] = []
  for (const device of [...new Set(rows.map((r) => r.device))]) {
    const sorted = rows.filter((r) => r.device === device).sort((a, b) => a.ts - b.ts)
    let current: { start: number; end: number; n: number; sum: number } | null = null
    const flush = () => current && out.push(`${device} ${new Date(current.start).toISOString()} ${new Date(current.end).toISOString()} ${current.n} ${current.sum}`)
    for (const r of sorted) {
      if (current && r.ts < current.end) Object.assign(current, { end: Math.max(current.end, r.ts + gapMs), n: current.n + 1, sum: current.sum + r.bpm })
      else { flush(); current = { start: r.ts, end: r.ts + gapMs, n: 1, sum: r.bpm } }
    }
    flush()
  }
  return out.sort()
}
