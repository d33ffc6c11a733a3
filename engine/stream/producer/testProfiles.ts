// A small sensor RecordProfile shared by the producer tests.
import type { RecordProfile } from './noisyRecords'

/** Readings of 20 devices, one a second from 2024-01-01T00:00:00Z; keyed by device. */
export const sensorProfile: RecordProfile = {
  name: 'sensor',
  columns: [
    { name: 'device_id', type: 'BIGINT' },
    { name: 'reading', type: 'DOUBLE' },
    { name: 'label', type: 'VARCHAR' },
    { name: 'ts', type: 'TIMESTAMP' }
  ],
  eventTimeColumn: 'ts',
  keyColumn: 'device_id',
  startMs: Date.parse('2024-01-01T00:00:00Z'),
  intervalMs: 1000,
  fields: (n, random) => ({ device_id: random.int(1, 20), reading: Math.round(random.normal(50, 5) * 10) / 10, label: `r${n}, "q"` })
}
