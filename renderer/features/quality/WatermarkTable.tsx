// WatermarkTable: system.watermark_control: the last processed timestamp per source table and the status of its last run.
import type { WatermarkEntry } from '../../../engine/api/qualityApi'
import { formatTime } from './formatQuality'
import { StatusBadge } from './ReconciliationTable'

export function WatermarkTable({ entries }: { entries: WatermarkEntry[] }) {
  if (entries.length === 0) {
    return (
      <div className="results-empty">
        <p className="results-empty-title">No watermarks are kept</p>
        <p>
          Add <code>watermarkControl</code> entries (source system, table, watermark column) to <code>pipelines/&lt;name&gt;/pipeline.json</code> and each run
          records the newest value it processed in <code>system.watermark_control</code>, advancing it only after the table committed.
        </p>
      </div>
    )
  }
  return (
    <table className="q-table" aria-label="Watermark control">
      <thead>
        <tr>
          <th scope="col">Source system</th>
          <th scope="col">Table</th>
          <th scope="col">Column</th>
          <th scope="col">Watermark (UTC)</th>
          <th scope="col">Status</th>
          <th scope="col">Process date</th>
          <th scope="col">Updated (UTC)</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((w) => (
          <tr key={`${w.sourceSystem}/${w.tableName}`}>
            <td>{w.sourceSystem}</td>
            <td className="mono">{w.tableName}</td>
            <td className="mono">{w.watermarkColumn ?? '—'}</td>
            <td className="mono">{w.lastProcessedTimestamp === null ? 'not yet advanced' : formatTime(w.lastProcessedTimestamp)}</td>
            <td>
              <StatusBadge status={w.status} />
            </td>
            <td className="mono">{w.processDate ?? '—'}</td>
            <td className="mono muted">{formatTime(w.updatedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
