// CheckpointInspector: each flow's checkpoint folder: its batches (committed or not, what they read, watermark, state) and raw offsets.
import type { CheckpointFlowInfo } from '../../../engine/api/streamApi'
import { formatCount, formatTime } from './streamFormat'

export function CheckpointInspector({ flows, pipeline }: { flows: CheckpointFlowInfo[]; pipeline: string }) {
  if (flows.length === 0) {
    return (
      <p className="st-empty">
        Pipeline <span className="st-mono">{pipeline}</span> has no flow checkpoints yet: they appear under checkpoints/{pipeline}/ after its first
        streaming batch.
      </p>
    )
  }
  return (
    <div className="st-checkpoints">
      {flows.map((flow) => (
        <section key={flow.flow} className="st-flow" aria-label={`Flow ${flow.flow}`}>
          <h4 className="st-flow-title">
            <span className="st-mono">{flow.flow}</span> → <span className="st-mono">{flow.target}</span>
            <span className="st-faint st-flow-path">{flow.path}</span>
          </h4>
          {flow.batches.length === 0 ? (
            <p className="st-faint">No batch recorded.</p>
          ) : (
            <table className="st-table" aria-label={`Checkpoint batches of ${flow.flow}`}>
              <thead>
                <tr>
                  <th scope="col">Batch</th>
                  <th scope="col">Committed</th>
                  <th scope="col">Read</th>
                  <th scope="col">Watermark</th>
                  <th scope="col">State rows</th>
                  <th scope="col">Offsets</th>
                </tr>
              </thead>
              <tbody>
                {flow.batches.map((b) => {
                  const read = [...b.files, ...b.deltaRanges]
                  return (
                    <tr key={b.batchId}>
                      <td className="st-mono">{b.batchId}</td>
                      <td className={b.committed ? 'st-ok' : 'st-warn'}>{b.committed ? 'committed' : 'not committed'}</td>
                      <td className="st-mono st-read" title={read.join('\n')}>
                        {read.length === 0 ? '—' : read.length === 1 ? read[0] : `${read[0]} (+${read.length - 1} more)`}
                      </td>
                      <td className="st-mono">{b.watermark === null ? '—' : formatTime(b.watermark, true)}</td>
                      <td className="st-num">{formatCount(b.stateRows)}</td>
                      <td>
                        <details>
                          <summary>offsets/{b.batchId}</summary>
                          <pre className="st-json">{JSON.stringify(b.offsets, null, 2)}</pre>
                        </details>
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </div>
  )
}
