// Test support: a workout pipeline joining starts to stops of one watermarked stream (inner and left outer), and its batches.

export const MINUTE = 60_000
const T0 = Date.UTC(2026, 0, 15, 8, 0, 0)

const BRONZE = `
CREATE OR REFRESH STREAMING TABLE bronze.workouts
AS SELECT * FROM STREAM read_files('landing/workouts', format => 'json',
  schema => 'user_id BIGINT, workout_id INT, session_id INT, action STRING, time TIMESTAMP');
`

export const JOIN_PIPELINE = {
  'pipelines/wk/pipeline.json': JSON.stringify({ target: 'silver' }),
  'pipelines/wk/01_bronze.sql': BRONZE,
  'pipelines/wk/02_sessions.sql': `
CREATE OR REFRESH STREAMING TABLE silver.workout_sessions AS SELECT s.user_id, s.workout_id, s.session_id, s.time AS start_time, e.time AS end_time
FROM STREAM(bronze.workouts) WATERMARK time DELAY OF INTERVAL 10 MINUTES AS s
JOIN STREAM(bronze.workouts) WATERMARK time DELAY OF INTERVAL 10 MINUTES AS e
  ON e.user_id = s.user_id AND e.workout_id = s.workout_id AND e.session_id = s.session_id
  AND e.time BETWEEN s.time AND s.time + INTERVAL 3 HOURS
WHERE s.action = 'start' AND e.action = 'stop';

CREATE OR REFRESH STREAMING TABLE silver.workout_outcomes AS SELECT s.user_id, s.workout_id, s.time AS start_time, e.time AS end_time
FROM STREAM(bronze.workouts) WATERMARK time DELAY OF INTERVAL 10 MINUTES AS s
LEFT OUTER JOIN STREAM(bronze.workouts) WATERMARK time DELAY OF INTERVAL 10 MINUTES AS e
  ON e.user_id = s.user_id AND e.workout_id = s.workout_id AND e.action = 'stop'
  AND e.time >= s.time AND e.time <= s.time + INTERVAL 3 HOURS
WHERE s.action = 'start';
`
}

export interface WorkoutEvent { user: number; action: 'start' | 'stop'; at: string }

/** `HH:MM` on the test day as epoch ms. */
export function ms(at: string): number {
  const [h, m] = at.split(':').map(Number) as [number, number]
  return T0 + ((h - 8) * 60 + m) * MINUTE
}

/** A landing file of workout events; user u does workout 100 + u in session 1. */
export function workoutFile(index: number, events: WorkoutEvent[]): Record<string, string> {
  const lines = events.map((e) => JSON.stringify({ user_id: e.user, workout_id: 100 + e.user, session_id: 1, action: e.action, time: new Date(ms(e.at)).toISOString().replace('T', ' ').replace('Z', '') }))
  return { [`landing/workouts/b${String(index).padStart(3, '0')}.json`]: lines.join('\n') + '\n' }
}

/**
 * One run per row: the events landed before it, and what the run must do. Watermark of a batch = max event time of the
 * earlier runs - 10 minutes; each run ends with a no-data batch at the watermark its data moved to.
 */
export const JOIN_RUNS: {
  events: WorkoutEvent[]
  /** Users whose start-stop pair the inner join appends in this run. */
  pairs: number[]
  /** Users the left outer join appends in this run (`u:null` = the start never matched). */
  outcomes: string[]
  /** `alias user` of the rows this run sends to <table>_late. */
  late: string[]
  /** Inner-join state rows (buffered starts + stops) after the run. */
  state: number
  /** The watermark the run's last batch used. */
  watermark: string
}[] = [
  // u1 starts and stops in one batch; u2 and u3 start (u3 stops after more than 3 hours).
  { events: [{ user: 1, action: 'start', at: '08:00' }, { user: 1, action: 'stop', at: '09:00' }, { user: 2, action: 'start', at: '08:10' }, { user: 3, action: 'start', at: '08:20' }],
    pairs: [1], outcomes: ['1'], late: [], state: 4, watermark: '08:50' },
  // u2's stop meets its buffered start; u4's start is behind the watermark (08:40 <= 08:50); the stops up to 10:20 are evicted.
  { events: [{ user: 2, action: 'stop', at: '10:00' }, { user: 4, action: 'start', at: '08:40' }, { user: 5, action: 'start', at: '10:30' }],
    pairs: [2], outcomes: ['2'], late: ['s 4'], state: 4, watermark: '10:20' },
  // u4's stop is late too; starts before 08:20 are evicted once the watermark reaches 11:20.
  { events: [{ user: 5, action: 'stop', at: '11:00' }, { user: 4, action: 'stop', at: '09:30' }, { user: 6, action: 'start', at: '11:30' }],
    pairs: [5], outcomes: ['5'], late: ['e 4'], state: 3, watermark: '11:20' },
  // u3's stop comes 3h40 after its start: no pair; once the watermark passes 08:20 + 3h the outer join emits u3 unmatched.
  { events: [{ user: 3, action: 'stop', at: '12:00' }, { user: 7, action: 'start', at: '14:30' }],
    pairs: [], outcomes: ['3:null'], late: [], state: 2, watermark: '14:20' }
]
