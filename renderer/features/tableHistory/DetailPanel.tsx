// DetailPanel: DESCRIBE DETAIL's row as a two-column list of property and value.
import { formatBytes, formatCommitTime, formatParameter } from './formatFacts'

/** Sizes print as bytes, *At times as UTC times; everything else as text or compact JSON. */
export function DetailPanel({ detail }: { detail: Record<string, unknown> }) {
  return (
    <div className="th-scroll">
      <table className="th-table detail" aria-label="Table detail">
        <tbody>
          {Object.entries(detail).map(([key, value]) => (
            <tr key={key}>
              <th scope="row">{key}</th>
              <td className="mono">{show(key, value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function show(key: string, value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (/sizeInBytes/i.test(key) && typeof value === 'number') return `${formatBytes(value)} (${value.toLocaleString('en-US')} bytes)`
  if (/(At|Time|lastModified)$/.test(key) && typeof value === 'number') return `${formatCommitTime(value)} UTC`
  return formatParameter(value)
}
