// SBIT landing data sets 1, 2, ...: the timeline's events for each set rendered as CSV/JSON drops, plus each set's
// duplicates and malformed rows, with a manifest of what every file holds.
import { countRows, type LandedRow, type LandingFile } from '../landingManifest'
import { csvText, ndjsonText, timestampText } from '../landingText'
import { SeededRandom } from '../../engine/stream/producer/seededRandom'
import { generateGymTimeline, SBIT_SEED, windowOf, windowStart, type TimelineEvent } from './gymTimeline'

export interface RegistrationLine {
  user_id: number | string
  device_id: number
  mac_address: string
  registration_timestamp: string
}

export interface GymLoginLine {
  mac_address: string
  gym: number
  login: string
  logout: string
}

export type KafkaTopic = 'user_info' | 'bpm' | 'workout'

export interface KafkaEnvelope {
  key: string
  value: string
  topic: KafkaTopic
  partition: number
  offset: number
  /** Event time, ms since the epoch. */
  timestamp: number
}

/** A landed row and the valid event behind it (null for malformed rows). */
export interface Landed<T> {
  line: T
  event: TimelineEvent | null
}

export interface SbitDataSet {
  setNumber: number
  registrations: LandedRow<Landed<RegistrationLine>>[]
  gymLogins: LandedRow<Landed<GymLoginLine>>[]
  kafka: Record<KafkaTopic, LandedRow<Landed<KafkaEnvelope>>[]>
  files: LandingFile[]
}

const TOPICS: KafkaTopic[] = ['user_info', 'bpm', 'workout']
const FOUR_HOURS_MS = 4 * 3600_000

/** Per-set noise comes from its own seed, so the valid timeline stays the same whatever noise a set gets. */
function noiseRandom(seed: number, setNumber: number): SeededRandom {
  return new SeededRandom((seed + setNumber * 7919) >>> 0)
}

function kindOf(event: TimelineEvent): 'good' | 'late' {
  return event.deliverySet > windowOf(event.time) ? 'late' : 'good'
}

/** Valid rows first (on-time in event-time order, then the late ones), malformed rows in the middle. */
function arrange<T>(valid: LandedRow<T>[], malformed: LandedRow<T>[]): LandedRow<T>[] {
  const good = valid.filter((r) => r.kind === 'good')
  const late = valid.filter((r) => r.kind === 'late')
  const middle = Math.floor(good.length / 2)
  return [...good.slice(0, middle), ...malformed, ...good.slice(middle), ...late]
}

/** Appends `n` exact copies of seeded picks among the good rows. */
function withDuplicates<T>(rows: LandedRow<T>[], n: number, random: SeededRandom): LandedRow<T>[] {
  const good = rows.filter((r) => r.kind === 'good')
  const copies: LandedRow<T>[] = []
  for (let i = 0; i < n && good.length > 0; i++) {
    const original = good[random.int(0, good.length - 1)]!
    copies.push({ kind: 'duplicate', warned: original.warned, row: original.row })
  }
  return [...rows, ...copies]
}

function envelopeValue(event: TimelineEvent): { key: string; value: object } {
  switch (event.type) {
    case 'profile': {
      const base = { user_id: event.userId, update_type: event.updateType, timestamp: timestampText(event.time) }
      if (event.updateType === 'delete') return { key: String(event.userId), value: base }
      const u = event.user
      return { key: String(event.userId), value: { ...base, dob: u.dob, sex: u.sex, first_name: u.firstName, last_name: u.lastName, address: event.address } }
    }
    case 'workout':
      return { key: String(event.userId), value: { user_id: event.userId, workout_id: event.workoutId, session_id: event.sessionId, action: event.action, timestamp: timestampText(event.time) } }
    case 'bpm':
      return { key: String(event.deviceId), value: { device_id: event.deviceId, time: timestampText(event.time), heartrate: event.heartrate } }
    default:
      throw new Error(`No Kafka topic carries ${event.type} events`)
  }
}

function topicOf(event: TimelineEvent): KafkaTopic | null {
  return event.type === 'profile' ? 'user_info' : event.type === 'bpm' ? 'bpm' : event.type === 'workout' ? 'workout' : null
}

/**
 * Generates SBIT data sets 1..`upTo` (deterministic for a seed). Per set, beyond the valid events the timeline
 * delivers (good or late): registrations 1 duplicate + 2 malformed (a non-numeric user_id, an unparseable timestamp);
 * gym logins 1 duplicate + 1 malformed (unparseable logout) and 1 visit over 4 hours (warned); user_info 2 malformed
 * (truncated JSON, unknown update_type); workout 1 duplicate + 2 malformed (action 'pause', no session_id); bpm 3
 * duplicates + 3 malformed (heart rate 0, no device, heart rate 'abc'). Kafka offsets continue across sets.
 * @throws RangeError when upTo < 1.
 */
export function generateSbitDataSets(upTo: number, seed = SBIT_SEED): SbitDataSet[] {
  if (!Number.isInteger(upTo) || upTo < 1) throw new RangeError(`Data set numbers start at 1 (got ${upTo})`)
  const timeline = generateGymTimeline(upTo, seed)
  const offsets: Record<KafkaTopic, number> = { user_info: 0, bpm: 0, workout: 0 }
  const sets: SbitDataSet[] = []
  for (let k = 1; k <= upTo; k++) {
    const random = noiseRandom(seed, k)
    const delivered = timeline.filter((e) => e.deliverySet === k).sort((a, b) => a.time - b.time)
    const noon = windowStart(k) + 36 * 3600_000
    const someUser = delivered.find((e) => e.type === 'registration')
    const userId = someUser?.type === 'registration' ? someUser.user.id : 1
    const device = 1000 + userId

    const registrations = withDuplicates(arrange<Landed<RegistrationLine>>(
      delivered.flatMap((e) => e.type === 'registration'
        ? [{ kind: kindOf(e), row: { event: e, line: { user_id: e.user.id, device_id: e.user.deviceId, mac_address: e.user.mac, registration_timestamp: timestampText(e.time) } } }]
        : []),
      [
        { kind: 'malformed', row: { event: null, line: { user_id: `u${k}x`, device_id: 9000 + k, mac_address: `00:00:00:00:00:0${k % 10}`, registration_timestamp: timestampText(noon) } } },
        { kind: 'malformed', row: { event: null, line: { user_id: 9900 + k, device_id: 9100 + k, mac_address: `00:00:00:00:01:0${k % 10}`, registration_timestamp: 'not-a-timestamp' } } }
      ]), 1, random)

    const gymLogins = withDuplicates(arrange<Landed<GymLoginLine>>(
      delivered.flatMap((e) => e.type === 'gym'
        ? [{ kind: kindOf(e), warned: e.logout - e.login > FOUR_HOURS_MS, row: { event: e, line: { mac_address: e.mac, gym: e.gym, login: timestampText(e.login), logout: timestampText(e.logout) } } }]
        : []),
      [{ kind: 'malformed', row: { event: null, line: { mac_address: '0a:0b:0c:0d:0e:0f', gym: 2, login: timestampText(noon), logout: 'n/a' } } }]
    ), 1, random)

    const malformedValues: Record<KafkaTopic, { key: string; value: string }[]> = {
      user_info: [
        { key: String(userId), value: `{"user_id": ${userId}, "update_type": "upd` },
        { key: String(userId), value: JSON.stringify({ user_id: userId, update_type: 'upsert', timestamp: timestampText(noon) }) }
      ],
      workout: [
        { key: String(userId), value: JSON.stringify({ user_id: userId, workout_id: 1, session_id: 99, action: 'pause', timestamp: timestampText(noon) }) },
        { key: String(userId), value: JSON.stringify({ user_id: userId, workout_id: 2, action: 'start', timestamp: timestampText(noon + 60_000) }) }
      ],
      bpm: [
        { key: String(device), value: JSON.stringify({ device_id: device, time: timestampText(noon), heartrate: 0 }) },
        { key: '', value: JSON.stringify({ device_id: null, time: timestampText(noon + 1000), heartrate: 88.5 }) },
        { key: String(device), value: JSON.stringify({ device_id: device, time: timestampText(noon + 2000), heartrate: 'abc' }) }
      ]
    }
    const duplicatesPerTopic: Record<KafkaTopic, number> = { user_info: 0, bpm: 3, workout: 1 }
    const kafka = {} as SbitDataSet['kafka']
    for (const topic of TOPICS) {
      const valid = delivered.flatMap((e) => {
        if (topicOf(e) !== topic) return []
        const { key, value } = envelopeValue(e)
        return [{ kind: kindOf(e), row: { event: e, line: { key, value: JSON.stringify(value), topic, partition: 0, offset: 0, timestamp: e.time } } }]
      })
      const malformed = malformedValues[topic].map((m, i) => ({
        kind: 'malformed' as const, row: { event: null, line: { ...m, topic, partition: 0, offset: 0, timestamp: noon + i * 1000 } }
      }))
      const ordered = arrange<Landed<KafkaEnvelope>>(valid, malformed).map((r) => {
        const partition = Number(r.row.line.key) % 2 || 0
        return { ...r, row: { ...r.row, line: { ...r.row.line, partition, offset: offsets[topic]++ } } }
      })
      kafka[topic] = withDuplicates(ordered, duplicatesPerTopic[topic], random)
    }
    sets.push({ setNumber: k, registrations, gymLogins, kafka, files: renderFiles(k, registrations, gymLogins, kafka) })
  }
  return sets
}

function renderFiles(k: number, registrations: SbitDataSet['registrations'], gymLogins: SbitDataSet['gymLogins'], kafka: SbitDataSet['kafka']): LandingFile[] {
  const files: LandingFile[] = []
  const registrationPath = `landing/registered_users/registered_users_${k}.csv`
  files.push({
    path: registrationPath, format: 'csv',
    text: csvText(['user_id', 'device_id', 'mac_address', 'registration_timestamp'], registrations.map((r) => r.row.line)),
    manifest: { path: registrationPath, format: 'csv', rows: countRows(registrations) }
  })
  const gymPath = `landing/gym_logins/gym_logins_${k}.csv`
  files.push({
    path: gymPath, format: 'csv',
    text: csvText(['mac_address', 'gym', 'login', 'logout'], gymLogins.map((r) => r.row.line)),
    manifest: { path: gymPath, format: 'csv', rows: countRows(gymLogins) }
  })
  for (const topic of TOPICS) {
    const path = `landing/kafka_multiplex/${topic}_${k}.json`
    const rows = kafka[topic]
    files.push({
      path, format: 'json', text: ndjsonText(rows.map((r) => r.row.line)),
      manifest: { path, format: 'json', rows: countRows(rows), topics: { [topic]: countRows(rows) } }
    })
  }
  return files
}
