// The rows every SBIT pipeline table should hold after data sets 1..n, computed from the generated data (never typed in).
import type { ExpectedCount } from '../expectedCount'
import { addCounts, countRows, keptRows, type RowCounts } from '../landingManifest'
import { generateSbitDataSets, type KafkaTopic, type SbitDataSet } from './gymDataSets'
import { SBIT_SEED } from './gymTimeline'
import { DATE_LOOKUP_DAYS } from './dateLookup'

const THREE_HOURS_MS = 3 * 3600_000
const ZERO: RowCounts = { good: 0, late: 0, duplicate: 0, malformed: 0, warned: 0 }

function sum(rows: RowCounts[]): RowCounts {
  return rows.reduce(addCounts, ZERO)
}

/**
 * Expected row counts after the sbit pipeline ran over data sets 1..`throughSet`, derived from the same generator that
 * writes the landing files: bronze keeps every parseable row, quarantines take exactly the malformed rows, silver
 * dedupes and pairs, gold aggregates. See samples/sbit/README.md for the rules in prose.
 * @throws RangeError when throughSet < 1.
 */
export function sbitExpectedCounts(throughSet: number, seed = SBIT_SEED): ExpectedCount[] {
  return expectedFromSets(generateSbitDataSets(throughSet, seed))
}

/** The same computation over already generated sets (1..n, in order). */
export function expectedFromSets(sets: readonly SbitDataSet[]): ExpectedCount[] {
  const registrations = sum(sets.map((s) => countRows(s.registrations)))
  const gym = sum(sets.map((s) => countRows(s.gymLogins)))
  const topic = (t: KafkaTopic): RowCounts => sum(sets.map((s) => countRows(s.kafka[t])))
  const kafkaTotal = (['user_info', 'bpm', 'workout'] as const).reduce((n, t) => n + keptRows(topic(t)) + topic(t).malformed, 0)

  const validEvents = sets.flatMap((s) => [
    ...s.registrations, ...s.gymLogins, ...s.kafka.user_info, ...s.kafka.bpm, ...s.kafka.workout
  ].flatMap((r) => (r.row.event ? [r.row.event] : [])))

  const users = new Map<number, number>()
  const profiles = new Map<string, { userId: number; time: number; updateType: string }>()
  const gymLogs = new Set<string>()
  const gymDays = new Set<string>()
  const starts = new Map<string, number>()
  const stops = new Map<string, number>()
  const readings = new Map<string, number>()
  for (const e of validEvents) {
    switch (e.type) {
      case 'registration':
        users.set(e.user.id, e.user.deviceId)
        break
      case 'profile':
        profiles.set(`${e.userId}|${e.time}`, { userId: e.userId, time: e.time, updateType: e.updateType })
        break
      case 'gym':
        gymLogs.add(`${e.mac}|${e.gym}|${e.login}|${e.logout}`)
        gymDays.add(`${e.gym}|${new Date(e.login).toISOString().slice(0, 10)}`)
        break
      case 'workout':
        ;(e.action === 'start' ? starts : stops).set(`${e.userId}|${e.workoutId}|${e.sessionId}`, e.time)
        break
      case 'bpm':
        readings.set(`${e.deviceId}|${e.time}`, e.time)
        break
    }
  }
  const latestProfile = new Map<number, { time: number; updateType: string }>()
  for (const p of profiles.values()) {
    const seen = latestProfile.get(p.userId)
    if (!seen || seen.time < p.time) latestProfile.set(p.userId, p)
  }
  const currentProfiles = [...latestProfile.entries()].filter(([, p]) => p.updateType !== 'delete').map(([id]) => id)
  const completed = [...starts.entries()].flatMap(([key, start]) => {
    const stop = stops.get(key)
    return stop !== undefined && stop > start && stop - start <= THREE_HOURS_MS ? [{ key, start, stop, userId: Number(key.split('|')[0]) }] : []
  })
  let workoutBpm = 0
  let summarized = 0
  for (const w of completed) {
    const device = users.get(w.userId)
    let inside = 0
    for (const [key, time] of readings) if (key.startsWith(`${device}|`) && time >= w.start && time <= w.stop) inside++
    workoutBpm += inside
    if (inside > 0) summarized++
  }
  const userInfo = topic('user_info')
  const workouts = topic('workout')
  const bpm = topic('bpm')
  const profileRows = [...profiles.values()].filter((p) => p.updateType !== 'delete').length

  return [
    { table: 'bronze.date_lookup', rows: DATE_LOOKUP_DAYS, because: 'one row per day of 2024, loaded once at init (history load)' },
    { table: 'bronze.registered_users', rows: keptRows(registrations), because: 'good + late + duplicate registration rows' },
    { table: 'bronze.registered_users_quarantine', rows: registrations.malformed, because: 'malformed registration rows (non-numeric user_id, unparseable timestamp)' },
    { table: 'bronze.gym_logins', rows: keptRows(gym), because: 'good + late + duplicate gym login rows' },
    { table: 'bronze.gym_logins_quarantine', rows: gym.malformed, because: 'gym login rows with an unparseable logout' },
    { table: 'bronze.kafka_multiplex', rows: kafkaTotal, because: 'every Kafka record of every topic (payloads are validated in silver)' },
    { table: 'silver.users', rows: users.size, because: 'distinct valid user ids' },
    { table: 'silver.gym_logs', rows: gymLogs.size, because: 'distinct valid gym visits' },
    { table: 'silver.user_info', rows: keptRows(userInfo), because: 'valid user_info CDC records (good + late)' },
    { table: 'silver.user_info_quarantine', rows: userInfo.malformed, because: 'user_info records with truncated JSON or an unknown update_type' },
    { table: 'silver.user_profile', rows: profileRows, because: 'SCD2: one version per new/update change; deletes close the current version' },
    { table: 'silver.user_profile', where: '__END_AT IS NULL', rows: currentProfiles.length, because: 'users whose latest change is not a delete' },
    { table: 'silver.workouts', rows: keptRows(workouts), because: 'valid workout events (good + late + duplicate)' },
    { table: 'silver.workouts_quarantine', rows: workouts.malformed, because: "workout events with action 'pause' or no session_id" },
    { table: 'silver.heart_rate', rows: keptRows(bpm), because: 'valid readings (good + late + duplicate)' },
    { table: 'silver.heart_rate_quarantine', rows: bpm.malformed, because: "readings with heart rate 0, no device, or heart rate 'abc'" },
    { table: 'silver.user_bins', rows: currentProfiles.filter((id) => users.has(id)).length, because: 'registered users with a current (not deleted) profile' },
    { table: 'silver.completed_workouts', rows: completed.length, because: 'sessions with a start and a stop at most 3 hours later' },
    { table: 'silver.workout_bpm', rows: workoutBpm, because: 'distinct valid readings of the user\'s device between start and stop of a completed workout' },
    { table: 'gold.workout_bpm_summary', rows: summarized, because: 'completed workouts with at least one reading' },
    { table: 'gold.gym_summary', rows: gymDays.size, because: 'distinct (gym, login date) of valid visits' }
  ]
}
