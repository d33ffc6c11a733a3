// LiveCharts: throughput, event time against processing time (watermark and late rows), and state rows, per batch.
import { useMemo, useState } from 'react'
import type { LateRowInfo, StreamBatchInfo } from '../../../engine/api/streamApi'
import { LateRowDetail, LateRowList } from './LateRows'
import { StreamChart, type StreamChartSeries } from './StreamChart'
import { defaultEventTimeTable, eventTimeSeries, eventTimeTables, hasEventTime, stateSeries, throughputSeries } from './streamChartData'
import { formatCount, formatRate, formatTime, stateRowsOf } from './streamFormat'

export interface LiveChartsProps {
  batches: StreamBatchInfo[]
  lateRows: LateRowInfo[]
  lateLoading: boolean
  selectedLate: LateRowInfo | null
  selectedLateKey: string | null
  onSelectLate(key: string | null): void
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`
/** The newest non-null y of a series (null when there is none). */
const lastValue = (points: [number, number | null][]): number | null => points.reduce<number | null>((found, [, y]) => y ?? found, null)

export function LiveCharts({ batches, lateRows, lateLoading, selectedLate, selectedLateKey, onSelectLate }: LiveChartsProps) {
  const latest = batches[batches.length - 1]
  const throughput = useMemo(() => throughputSeries(batches), [batches])
  const tables = useMemo(() => eventTimeTables(batches), [batches])
  // The user's pick of a watermarked table ('' = all of them); until then the one with the most late rows.
  const [chosenTable, chooseTable] = useState<string | null>(null)
  const table = chosenTable === '' ? null : chosenTable !== null && tables.includes(chosenTable) ? chosenTable : defaultEventTimeTable(tables, lateRows)
  const eventTime = useMemo(() => eventTimeSeries(batches, lateRows, table), [batches, lateRows, table])
  const state = useMemo(() => stateSeries(batches), [batches])
  const none = 'No batches yet: start the query to chart its micro-batches.'

  const throughputChart: StreamChartSeries[] = useMemo(
    () => [
      { id: 'input', name: 'Input rows/s', kind: 'line', data: throughput.input },
      { id: 'processed', name: 'Processed rows/s', kind: 'line', data: throughput.processed }
    ],
    [throughput]
  )
  const eventTimeChart: StreamChartSeries[] = useMemo(
    () => [
      { id: 'max', name: 'Max event time', kind: 'line', data: eventTime.maxEventTime },
      { id: 'watermark', name: 'Watermark', kind: 'step', data: eventTime.watermark, colorVar: '--muted' },
      { id: 'late', name: 'Late rows', kind: 'scatter', symbol: 'triangle', colorVar: '--danger', data: eventTime.late.map((l) => l.point) }
    ],
    [eventTime]
  )
  const stateChart: StreamChartSeries[] = useMemo(() => [{ id: 'state', name: 'State rows', kind: 'line', data: state }], [state])

  const eventCaption = !latest
    ? none
    : !hasEventTime(batches)
      ? `${plural(batches.length, 'batch', 'batches')}; this pipeline records no event time (no watermarked table).`
      : `${plural(batches.length, 'batch', 'batches')} · max event time ${formatTime(lastValue(eventTime.maxEventTime))} · watermark ${formatTime(lastValue(eventTime.watermark))} · ${plural(eventTime.late.length + eventTime.unplaced, 'late row')}${table ? ` of ${table}` : ''}`

  return (
    <div className="st-live">
      <div className="st-charts">
        <StreamChart
          label="Input and processed rows per second"
          yName="rows/s"
          yType="value"
          series={throughputChart}
          caption={latest ? `${plural(batches.length, 'batch', 'batches')} · latest ${formatRate(latest.inputRowsPerSecond)} input rows/s, ${formatRate(latest.processedRowsPerSecond)} processed rows/s` : none}
        />
        <StreamChart
          label="Event time against processing time"
          yName="event time"
          yType="time"
          series={eventTimeChart}
          caption={eventCaption}
          onPointClick={(series, index) => series === 'late' && eventTime.late[index] && onSelectLate(eventTime.late[index].key)}
          controls={
            tables.length > 1 && (
              <label className="st-chart-table">
                <span>Event time of</span>
                <select aria-label="Event-time table" value={table ?? ''} onChange={(e) => chooseTable(e.target.value)}>
                  {tables.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                  <option value="">all watermarked tables</option>
                </select>
              </label>
            )
          }
        />
        <StreamChart
          label="State rows per batch"
          yName="state rows"
          yType="value"
          series={stateChart}
          caption={latest ? `${plural(batches.length, 'batch', 'batches')} · ${formatCount(stateRowsOf(latest))} state rows after batch ${latest.batchId}` : none}
        />
      </div>
      <div className="st-late">
        <div className="st-late-head">
          <h3 className="st-card-title">Late rows</h3>
          <span className="st-faint" data-testid="late-count" aria-live="polite">
            {lateLoading ? 'loading…' : `${formatCount(lateRows.length)} newest first`}
          </span>
        </div>
        {lateLoading ? (
          <p className="st-faint st-late-empty" role="status">
            Loading late rows…
          </p>
        ) : (
          <LateRowList rows={lateRows} selected={selectedLateKey} onSelect={onSelectLate} />
        )}
        {selectedLate && <LateRowDetail row={selectedLate} onClose={() => onSelectLate(null)} />}
      </div>
    </div>
  )
}
