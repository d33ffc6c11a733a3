// EventLog: every event of the run, timestamped, newest last, filterable by level.
import { useEffect, useRef } from 'react'
import { formatClock } from './pipelineFormat'
import type { LogLevel, RunLogEntry } from './runProgress'

export interface EventLogProps {
  entries: RunLogEntry[]
  level: 'all' | LogLevel
  onLevel(level: 'all' | LogLevel): void
}

const levels: ('all' | LogLevel)[] = ['all', 'info', 'warn', 'error']

export function EventLog({ entries, level, onLevel }: EventLogProps) {
  const list = useRef<HTMLOListElement>(null)
  const shown = level === 'all' ? entries : entries.filter((e) => e.level === level)
  const count = (l: LogLevel) => entries.filter((e) => e.level === l).length
  // Follow the tail while the run writes, like a terminal.
  useEffect(() => {
    const el = list.current
    if (el) el.scrollTop = el.scrollHeight
  }, [shown.length])
  return (
    <div className="pl-log">
      <div className="pl-log-filter" role="radiogroup" aria-label="Log level">
        {levels.map((l) => (
          <button key={l} type="button" role="radio" aria-checked={level === l} className="pl-chip" onClick={() => onLevel(l)}>
            {l === 'all' ? `All ${entries.length}` : `${l} ${count(l)}`}
          </button>
        ))}
      </div>
      {entries.length === 0 ? (
        <p className="pl-empty">The log fills as a run reports: each flow's start and outcome, then the run's end.</p>
      ) : (
        <ol ref={list} className="pl-log-list" aria-label="Run events">
          {shown.map((e) => (
            <li key={e.seq} className={`level-${e.level}`}>
              <time className="pl-mono">{formatClock(e.time)}</time>
              <span className="pl-log-level">{e.level}</span>
              {e.flow && <span className="pl-mono pl-log-flow">{e.flow}</span>}
              <span className="pl-log-message">{e.message}</span>
            </li>
          ))}
          {shown.length === 0 && <li className="pl-faint">No {level} events in this run.</li>}
        </ol>
      )}
    </div>
  )
}
