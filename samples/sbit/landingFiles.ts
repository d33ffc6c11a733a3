// Writes one day's SBIT batch into the lakehouse landing zone as the files a producer would drop (CSV and NDJSON).
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { DayBatch } from './gymEvents'

export interface LandedFiles {
  /** Paths relative to the lakehouse root (stable across machines, so they can be stored in tables). */
  registrations: string
  gymLogins: string
  kafka: string
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return ''
  const s = String(v)
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

function csv(rows: readonly object[], header: readonly string[]): string {
  return [header.join(','), ...rows.map((r) => header.map((h) => csvCell((r as Record<string, unknown>)[h])).join(','))].join('\n') + '\n'
}

/** Writes landing/{registered_users,gym_logins,kafka_multiplex}/<name>_<date>.{csv,json} and returns their relative paths. */
export async function writeLandingFiles(lakehouseRoot: string, batch: DayBatch): Promise<LandedFiles> {
  const files: LandedFiles = {
    registrations: `landing/registered_users/registered_users_${batch.date}.csv`,
    gymLogins: `landing/gym_logins/gym_logins_${batch.date}.csv`,
    kafka: `landing/kafka_multiplex/kafka_multiplex_${batch.date}.json`
  }
  for (const rel of Object.values(files)) await fs.mkdir(path.dirname(path.join(lakehouseRoot, rel)), { recursive: true })
  await fs.writeFile(path.join(lakehouseRoot, files.registrations), csv(batch.registrations, ['user_id', 'device_id', 'mac_address', 'registration_timestamp']))
  await fs.writeFile(path.join(lakehouseRoot, files.gymLogins), csv(batch.gymLogins, ['mac_address', 'gym', 'login', 'logout']))
  await fs.writeFile(path.join(lakehouseRoot, files.kafka), batch.kafka.map((r) => JSON.stringify(r)).join('\n') + '\n')
  return files
}
