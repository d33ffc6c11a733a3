// The SBIT gym domain as seeded daily event batches: registrations, profile CDC, workouts, heart-rate readings, gym logins.
import { SeededRandom } from './seededRandom'

export interface Registration {
  user_id: number | null
  device_id: number
  mac_address: string
  registration_timestamp: string
}

export interface GymLogin {
  mac_address: string
  gym: number
  login: string
  logout: string
}

/** One record of the Kafka multiplex topic dump (user_info, workout, bpm), value as JSON text. */
export interface KafkaRecord {
  key: string
  value: string
  topic: 'user_info' | 'workout' | 'bpm'
  partition: number
  offset: number
  /** Event time, ms since epoch. */
  timestamp: number
}

export interface DayBatch {
  /** 0-based simulated day. */
  day: number
  /** yyyy-mm-dd */
  date: string
  registrations: Registration[]
  gymLogins: GymLogin[]
  kafka: KafkaRecord[]
}

export interface GymEventOptions {
  seed: number
  days: number
  /** First simulated day, yyyy-mm-dd (UTC). */
  startDate: string
  /** Users registering on day 0, and at most on each later day. */
  initialUsers: number
  dailyNewUsers: number
  /** A user who asks for erasure (GDPR) on `erasureDay`; no events for them afterwards. */
  erasedUserId: number
  erasureDay: number
}

export const DEFAULT_GYM_OPTIONS: GymEventOptions = {
  seed: 20240304, days: 12, startDate: '2024-03-04', initialUsers: 8, dailyNewUsers: 3, erasedUserId: 3, erasureDay: 9
}

const FIRST_NAMES = ['Ava', 'Ben', 'Chloe', 'Dev', 'Elena', 'Farid', 'Grace', 'Hugo', 'Isla', 'Jonas', 'Kemi', 'Liam', 'Maya', 'Noah', 'Olga', 'Priya']
const LAST_NAMES = ['Andersen', 'Brooks', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski', 'Lopez']
const CITIES: [string, string, number][] = [['Austin', 'TX', 73301], ['Denver', 'CO', 80202], ['Portland', 'OR', 97201], ['Madison', 'WI', 53703], ['Raleigh', 'NC', 27601]]
const STREETS = ['Oak St', 'Maple Ave', 'Cedar Rd', 'Pine Ln', 'Elm Ct', 'Birch Way']

interface User {
  id: number
  deviceId: number
  mac: string
  sex: 'M' | 'F'
  dob: string
  firstName: string
  lastName: string
  address: { street_address: string; city: string; state: string; zip: number }
  sessions: number
}

const DAY_MS = 24 * 3600 * 1000

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('.000Z', '+00')
}

/**
 * Generates `days` daily batches of gym events, identical for the same options. Each batch carries what landed that
 * day: new registrations (one with an empty MAC address, a bad row), profile CDC records (new/update), workout
 * start/stop pairs with a heart-rate reading per minute, gym logins around workouts, plus the messy parts real feeds
 * have: duplicated Kafka records, readings with an invalid heart rate or no device, and readings from the previous day
 * that arrive late.
 */
export function generateGymEvents(options: GymEventOptions = DEFAULT_GYM_OPTIONS): DayBatch[] {
  const random = new SeededRandom(options.seed)
  const start = Date.parse(`${options.startDate}T00:00:00Z`)
  const users: User[] = []
  const offsets = { user_info: 0, workout: 0, bpm: 0 }
  const batches: DayBatch[] = []
  let lateFromYesterday: KafkaRecord[] = []

  const record = (topic: KafkaRecord['topic'], key: string, value: Record<string, unknown>, timestamp: number): KafkaRecord => ({
    key, value: JSON.stringify(value), topic, partition: Number(key) % 2 || 0, offset: offsets[topic]++, timestamp
  })
  const profileValue = (u: User, updateType: string, ts: number): Record<string, unknown> => ({
    user_id: u.id, update_type: updateType, timestamp: iso(ts), dob: u.dob, sex: u.sex, gender: u.sex,
    first_name: u.firstName, last_name: u.lastName, address: u.address
  })

  for (let day = 0; day < options.days; day++) {
    const dayStart = start + day * DAY_MS
    const date = new Date(dayStart).toISOString().slice(0, 10)
    const batch: DayBatch = { day, date, registrations: [], gymLogins: [], kafka: [...lateFromYesterday] }
    lateFromYesterday = []
    const active = (u: User): boolean => !(u.id === options.erasedUserId && day >= options.erasureDay)

    const newUsers = day === 0 ? options.initialUsers : random.int(0, options.dailyNewUsers)
    for (let k = 0; k < newUsers; k++) {
      const id = users.length + 1
      const [city, state, zip] = random.pick(CITIES)
      const u: User = {
        id, deviceId: 1000 + id,
        mac: Array.from({ length: 6 }, () => random.int(0, 255).toString(16).padStart(2, '0')).join(':'),
        sex: random.chance(0.5) ? 'M' : 'F',
        dob: `${String(random.int(1, 12)).padStart(2, '0')}/${String(random.int(1, 28)).padStart(2, '0')}/${random.int(1960, 2004)}`,
        firstName: random.pick(FIRST_NAMES), lastName: random.pick(LAST_NAMES),
        address: { street_address: `${random.int(1, 999)} ${random.pick(STREETS)}`, city, state, zip },
        sessions: 0
      }
      users.push(u)
      const registeredAt = dayStart + random.int(6 * 3600, 10 * 3600) * 1000
      batch.registrations.push({ user_id: u.id, device_id: u.deviceId, mac_address: u.mac, registration_timestamp: iso(registeredAt) })
      batch.kafka.push(record('user_info', String(u.id), profileValue(u, 'new', registeredAt + 60_000), registeredAt + 60_000))
    }
    if (day === 2) {
      // A bad registration row: no user id and an empty MAC address.
      batch.registrations.push({ user_id: null, device_id: 0, mac_address: '', registration_timestamp: iso(dayStart + 9 * 3600 * 1000) })
    }

    // Profile updates (CDC): a few users move house.
    for (const u of users.filter(active)) {
      if (day > 0 && random.chance(0.08)) {
        const [city, state, zip] = random.pick(CITIES)
        u.address = { street_address: `${random.int(1, 999)} ${random.pick(STREETS)}`, city, state, zip }
        const ts = dayStart + random.int(11 * 3600, 12 * 3600) * 1000
        batch.kafka.push(record('user_info', String(u.id), profileValue(u, 'update', ts), ts))
      }
    }

    // Workouts with heart-rate readings and gym logins.
    for (const u of users.filter(active)) {
      if (!random.chance(0.45)) continue
      const session = ++u.sessions
      const workoutId = random.int(1, 6)
      const startMs = dayStart + random.int(6 * 60, 19 * 60) * 60_000
      const minutes = random.int(25, 70)
      const stopMs = startMs + minutes * 60_000
      batch.kafka.push(record('workout', String(u.id), { user_id: u.id, workout_id: workoutId, timestamp: iso(startMs), action: 'start', session_id: session }, startMs))
      batch.kafka.push(record('workout', String(u.id), { user_id: u.id, workout_id: workoutId, timestamp: iso(stopMs), action: 'stop', session_id: session }, stopMs))
      for (let m = 0; m <= minutes; m++) {
        const t = startMs + m * 60_000
        const bpm = Math.round(random.normal(128 + Math.min(m, 20), 12) * 10) / 10
        const rec = record('bpm', String(u.deviceId), { device_id: u.deviceId, time: iso(t), heartrate: bpm }, t)
        // Some late-evening readings are delivered with the next day's batch.
        if (day < options.days - 1 && m > minutes - 3 && random.chance(0.3)) lateFromYesterday.push(rec)
        else batch.kafka.push(rec)
      }
      batch.gymLogins.push({ mac_address: u.mac, gym: random.int(1, 3), login: iso(startMs - 10 * 60_000), logout: iso(stopMs + 10 * 60_000) })
    }

    // Bad readings: a sensor glitch (heart rate 0) and a reading with no device id.
    const glitchAt = dayStart + 12 * 3600 * 1000
    batch.kafka.push(record('bpm', '1001', { device_id: 1001, time: iso(glitchAt), heartrate: 0 }, glitchAt))
    batch.kafka.push(record('bpm', '0', { device_id: null, time: iso(glitchAt + 1000), heartrate: 91.5 }, glitchAt + 1000))
    // At-least-once delivery: two records of the day arrive twice.
    const someRecords = batch.kafka.slice(0, 2)
    batch.kafka.push(...someRecords.map((r) => ({ ...r })))
    batches.push(batch)
  }
  return batches
}
