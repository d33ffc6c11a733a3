// ProfileCharts: a column's distribution in a table cell: a histogram sparkline (outlying bins marked) or the top values' shares.
import type { ColumnProfile, ProfileHistogram, ProfileOutliers } from '../../../engine/api/tablesApi'
import { formatCount } from './formatFacts'
import { binLabel, formatPercent } from './profileFormat'

const WIDTH = 100
const HEIGHT = 24

/** The histogram when the column has one, else the share of each top value among the non-null values. */
export function ColumnDistribution({ column }: { column: ColumnProfile }) {
  if (column.histogram) return <Histogram name={column.name} histogram={column.histogram} outliers={column.outliers} />
  if (column.topValues.length > 0 && column.count > 0) return <ShareBar column={column} />
  return <span className="pf-faint">{column.count === 0 ? 'no values' : '—'}</span>
}

/** Bars scaled to the tallest bin; a bin entirely beyond an IQR fence is drawn in the outlier colour. */
function Histogram({ name, histogram, outliers }: { name: string; histogram: ProfileHistogram; outliers: ProfileOutliers | null }) {
  const tallest = Math.max(1, ...histogram.bins.map((b) => b.count))
  const slot = WIDTH / histogram.bins.length
  const gap = histogram.bins.length > 30 ? 0 : 1
  const beyond = (b: { lower: number; upper: number }) => outliers !== null && outliers.count > 0 && (b.upper < outliers.lowerFence || b.lower > outliers.upperFence)
  return (
    <svg className="pf-histogram" width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Histogram of ${name}: ${histogram.bins.length} bins, at most ${formatCount(tallest)} values in one`}>
      <line className="pf-axis" x1={0} x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} />
      {histogram.bins.map((bin, i) => {
        // An empty bin draws nothing; a non-empty one at least one pixel, so rare values stay visible.
        const height = bin.count === 0 ? 0 : Math.max(1.5, (bin.count / tallest) * (HEIGHT - 2))
        return (
          <rect key={i} className={beyond(bin) ? 'pf-bar pf-bar-outlier' : 'pf-bar'} x={i * slot + gap / 2} y={HEIGHT - 1 - height} width={Math.max(1, slot - gap)} height={height}>
            <title>{`${binLabel(histogram, i)}: ${formatCount(bin.count)}`}</title>
          </rect>
        )
      })}
    </svg>
  )
}

/** One horizontal bar split by the top values' shares of the non-null values; the rest stays as track. */
function ShareBar({ column }: { column: ColumnProfile }) {
  return (
    <span className="pf-share" role="img" aria-label={`Top values of ${column.name} cover ${formatPercent((100 * column.topValues.reduce((s, t) => s + t.count, 0)) / column.count)} of its values`}>
      {column.topValues.map((t, i) => (
        <span key={t.value} className={`pf-share-part pf-share-${i}`} style={{ width: `${(100 * t.count) / column.count}%` }} title={`${t.value}: ${formatCount(t.count)} (${formatPercent((100 * t.count) / column.count)})`} />
      ))}
    </span>
  )
}
