// The SBIT gym world as a seeded timeline of valid events (registrations, profile changes, workouts, heart rate, gym
// visits), each tagged with the data set that delivers it.
import { SeededRandom } from '../../engine/stream/producer/seededRandom'

/** First day of data set 1 (UTC). Each data set covers DAYS_PER_SET days; day -1 holds history delivered late in set 1. */
export const SBIT_START_MS = Date.parse('2024-03-04T00:00:00Z')
export const DAYS_PER_SET = 3
export const SBIT_SEED = 20240304
const DAY_MS = 86_400_000
const MINUTE_MS = 60_000

/** The data set whose time window holds `ms` (0 for the history before set 1). */
export function windowOf(ms: number): number {
  const day = Math.floor((ms - SBIT_START_MS) / DAY_MS)
  return day < 0 ? 0 : Math.floor(day / DAYS_PER_SET) + 1
}

/** Start of data set `k`'s window. */
export function windowStart(k: number): number {
  return SBIT_START_MS + (k - 1) * DAYS_PER_SET * DAY_MS
}

export interface Address {
  street_address: string
  city: string
  state: string
  zip: number
}

export interface GymUser {
  id: number
  deviceId: number
  mac: string
  registeredAt: number
  dob: string
  sex: 'M' | 'F'
  firstName: string
  lastName: string
}

/** Every event carries its event time and the data set that delivers it (late when that set is after its window). */
interface Delivered {
  time: number
  deliverySet: number
}

export type TimelineEvent = Delivered &
  (
    | { type: 'registration'; user: GymUser }
    | { type: 'profile'; userId: number; updateType: 'new' | 'update' | 'delete'; user: GymUser; address: Address }
    | { type: 'workout'; userId: number; workoutId: number; sessionId: number; action: 'start' | 'stop' }
    | { type: 'bpm'; deviceId: number; heartrate: number }
    | { type: 'gym'; mac: string; gym: number; login: number; logout: number }
  )

const FIRST_NAMES = ['Ava', 'Ben', 'Chloe', 'Dev', 'Elena', 'Farid', 'Grace', 'Hugo', 'Isla', 'Jonas', 'Kemi', 'Liam', 'Maya', 'Noah', 'Olga', 'Priya']
const LAST_NAMES = ['Andersen', 'Brooks', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski', 'Lopez']
const CITIES: [string, string, number][] = [['Austin', 'TX', 73301], ['Denver', 'CO', 80202], ['Portland', 'OR', 97201], ['Madison', 'WI', 53703], ['Raleigh', 'NC', 27601]]
const STREETS = ['Oak St', 'Maple Ave', 'Cedar Rd', 'Pine Ln', 'Elm Ct', 'Birch Way']

/**
 * Generates the valid events of data sets 1..`sets` (plus events of later sets that start inside them, which the
 * caller filters by deliverySet). Draws happen day by day, so asking for more sets never changes earlier ones.
 *
 * Per data set k: new users on its first day (9 in set 1, 4 later); one more user registers on the evening before the
 * window and works out at once, and all of that is delivered late with set k; profile updates on the second day (set
 * k >= 2 also has an out-of-order update from the previous window and a profile delete); workouts with a heart-rate
 * reading per minute and a gym visit; on the last day an abandoned workout (no stop), a 4-hour workout (too long to
 * count, and a gym visit over 4 hours), a workout that ends after midnight (its stop lands in set k+1), and the last
 * two readings of one workout held back until set k+1.
 */
export function generateGymTimeline(sets: number, seed = SBIT_SEED): TimelineEvent[] {
  const random = new SeededRandom(seed)
  const events: TimelineEvent[] = []
  const users: GymUser[] = []
  const addresses = new Map<number, Address>()
  const lastProfileTime = new Map<number, number>()
  const deleted = new Set<number>()
  const sessions = new Map<number, number>()
  const deliver = (time: number, deferred = false): number => Math.max(1, windowOf(time) + (deferred ? 1 : 0))

  const newAddress = (): Address => {
    const [city, state, zip] = random.pick(CITIES)
    return { street_address: `${random.int(1, 999)} ${random.pick(STREETS)}`, city, state, zip }
  }
  const register = (at: number, deferred: boolean): GymUser => {
    const id = users.length + 1
    const user: GymUser = {
      id, deviceId: 1000 + id, registeredAt: at,
      mac: Array.from({ length: 6 }, () => random.int(0, 255).toString(16).padStart(2, '0')).join(':'),
      dob: `${String(random.int(1, 12)).padStart(2, '0')}/${String(random.int(1, 28)).padStart(2, '0')}/${random.int(1960, 2005)}`,
      sex: random.chance(0.5) ? 'M' : 'F', firstName: random.pick(FIRST_NAMES), lastName: random.pick(LAST_NAMES)
    }
    users.push(user)
    const address = newAddress()
    addresses.set(id, address)
    events.push({ type: 'registration', user, time: at, deliverySet: deliver(at, deferred) })
    const profileAt = at + MINUTE_MS
    events.push({ type: 'profile', userId: id, updateType: 'new', user, address, time: profileAt, deliverySet: deliver(profileAt, deferred) })
    lastProfileTime.set(id, profileAt)
    return user
  }
  const profileChange = (user: GymUser, updateType: 'update' | 'delete', at: number, deferred = false): void => {
    if (updateType === 'update') addresses.set(user.id, newAddress())
    else deleted.add(user.id)
    events.push({ type: 'profile', userId: user.id, updateType, user, address: addresses.get(user.id)!, time: at, deliverySet: deliver(at, deferred) })
    lastProfileTime.set(user.id, Math.max(lastProfileTime.get(user.id) ?? 0, at))
  }
  /** A workout session: start (and stop unless abandoned), one reading per minute, a gym visit around it. */
  const workout = (user: GymUser, start: number, minutes: number, opts: { abandoned?: boolean; deferred?: boolean; holdBackLast?: number } = {}): void => {
    const sessionId = (sessions.get(user.id) ?? 0) + 1
    sessions.set(user.id, sessionId)
    const workoutId = random.int(1, 6)
    const stop = start + minutes * MINUTE_MS
    const deferred = opts.deferred ?? false
    events.push({ type: 'workout', userId: user.id, workoutId, sessionId, action: 'start', time: start, deliverySet: deliver(start, deferred) })
    if (!opts.abandoned) events.push({ type: 'workout', userId: user.id, workoutId, sessionId, action: 'stop', time: stop, deliverySet: deliver(stop, deferred) })
    const readings = opts.abandoned ? 15 : minutes
    for (let m = 0; m <= readings; m++) {
      const t = start + m * MINUTE_MS
      const heartrate = Math.round(Math.min(190, Math.max(70, random.normal(125 + Math.min(m, 20), 10))) * 10) / 10
      const heldBack = opts.holdBackLast !== undefined && m > readings - opts.holdBackLast
      events.push({ type: 'bpm', deviceId: user.deviceId, heartrate, time: t, deliverySet: deliver(t, deferred || heldBack) })
    }
    const login = start - 10 * MINUTE_MS
    const logout = (opts.abandoned ? start + 30 * MINUTE_MS : stop) + 10 * MINUTE_MS
    events.push({ type: 'gym', mac: user.mac, gym: random.int(1, 3), login, logout, time: login, deliverySet: deliver(login, deferred) })
  }

  const lastDay = sets * DAYS_PER_SET - 1
  for (let day = -1; day <= lastDay; day++) {
    const dayStart = SBIT_START_MS + day * DAY_MS
    const k = windowOf(dayStart)
    const positionInWindow = day < 0 ? -1 : day % DAYS_PER_SET
    // Users who could work out today: registered before today and already delivered by today's data set.
    const eligible = users.filter((u) => u.registeredAt < dayStart && deliver(u.registeredAt, false) <= Math.max(k, 1))

    if (positionInWindow === 0) {
      const count = k === 1 ? 9 : 4
      for (let i = 0; i < count; i++) register(dayStart + random.int(7 * 60, 9 * 60) * MINUTE_MS, false)
    }
    if (positionInWindow === 1) {
      const candidates = users.filter((u) => u.registeredAt < windowStart(k) - DAY_MS && !deleted.has(u.id))
      if (k === 1) {
        profileChange(users.find((u) => u.id === 2)!, 'update', dayStart + 12 * 3600_000)
      } else {
        const [first, second, gone] = pickDistinct(random, candidates, 3)
        // Out of order: a change made late in the previous window, delivered only now, after a newer one.
        const lateAt = windowStart(k) - 6 * 3600_000
        const outOfOrder = (lastProfileTime.get(first!.id) ?? 0) < lateAt
        profileChange(first!, 'update', dayStart + 11 * 3600_000)
        profileChange(second!, 'update', dayStart + 12 * 3600_000)
        if (outOfOrder) profileChange(first!, 'update', lateAt, true)
        profileChange(gone!, 'delete', dayStart + 15 * 3600_000)
      }
    }

    if (day >= 0) {
      const specials = positionInWindow === DAYS_PER_SET - 1 ? pickDistinct(random, eligible, 3) : []
      const regulars = eligible.filter((u) => !specials.includes(u) && random.chance(0.5))
      regulars.forEach((u, i) => {
        const start = dayStart + random.int(6 * 60, 19 * 60) * MINUTE_MS
        const holdBack = specials.length > 0 && i === regulars.length - 1 ? 2 : undefined
        workout(u, start, random.int(25, 70), { holdBackLast: holdBack })
      })
      if (specials.length === 3) {
        workout(specials[0]!, dayStart + 17 * 3600_000, 0, { abandoned: true })
        workout(specials[1]!, dayStart + 7 * 3600_000, 245)
        workout(specials[2]!, dayStart + (23 * 60 + 20) * MINUTE_MS, 50)
      }
    }
    // The evening before each window: a user registers and works out; everything about it arrives with the next set.
    if (positionInWindow === DAYS_PER_SET - 1 || day === -1) {
      const late = register(dayStart + 20 * 3600_000, true)
      workout(late, dayStart + (20 * 60 + 30) * MINUTE_MS, 40, { deferred: true })
    }
  }
  return events
}

/** `n` distinct items in a seeded order (fewer when the list is shorter). */
function pickDistinct<T>(random: SeededRandom, items: readonly T[], n: number): T[] {
  const pool = [...items]
  const picked: T[] = []
  while (picked.length < n && pool.length > 0) picked.push(pool.splice(random.int(0, pool.length - 1), 1)[0]!)
  return picked
}
