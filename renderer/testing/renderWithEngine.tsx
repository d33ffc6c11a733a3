// renderWithEngine: renders a component inside the real EngineProvider, connected to the in-memory fake engine, for component tests.
import { type RenderResult, act, render } from '@testing-library/react'
import userEvent, { type UserEvent } from '@testing-library/user-event'
import type { ReactElement } from 'react'
import type { EngineEvent } from '../../engine/api/events'
import { type FakeEngine, type FakeTable, createFakeEngine } from '../../engine/testing/fakeEngine'
import type { EngineConnection } from '../platform/engine'
import { EngineProvider } from '../platform/engineContext'

export interface RenderWithEngineOptions {
  /** The engine to connect; default createFakeEngine(tables). Pass one to prepare or replace methods before rendering. */
  engine?: FakeEngine
  /** Tables of the default fake engine (ignored when `engine` is given); default defaultFakeTables(). */
  tables?: FakeTable[]
  /** Where the connection claims to run; default 'browser'. */
  host?: EngineConnection['host']
}

export interface RenderWithEngineResult extends RenderResult {
  /** The fake behind the component: `calls` lists every Engine API call in order, `emit` pushes an engine event. */
  engine: FakeEngine
  /** A user-event session made before rendering (type, click, keyboard, tab). */
  user: UserEvent
  /** `engine.emit(event)` inside act(), so the re-renders it causes are flushed before the next assertion. */
  emit(event: EngineEvent): Promise<void>
  /** Reports the connection as lost with `reason`, as a closed WebSocket or bridge would. */
  loseConnection(reason: string): void
}

/**
 * Renders `ui` under <EngineProvider> with a connection to a fake engine, so components call the same Engine API they
 * call in the app and tests can assert on what the fake computed (rows, versions, diffs) and on `engine.calls`.
 * Stores are reset and the document emptied after each test by setupDom.ts. Monaco cannot run here: see
 * textareaSqlEditor.tsx for testing components that host the SQL editor.
 */
export function renderWithEngine(ui: ReactElement, options: RenderWithEngineOptions = {}): RenderWithEngineResult {
  const engine = options.engine ?? createFakeEngine(options.tables)
  const lostListeners = new Set<(reason: string) => void>()
  let lostReason: string | undefined
  const connection: EngineConnection = {
    engine,
    host: options.host ?? 'browser',
    onLost(listener) {
      if (lostReason !== undefined) listener(lostReason)
      else lostListeners.add(listener)
    }
  }
  const user = userEvent.setup()
  const result = render(<EngineProvider connection={connection}>{ui}</EngineProvider>)
  return {
    ...result,
    engine,
    user,
    emit: (event) => act(async () => engine.emit(event)),
    loseConnection(reason) {
      lostReason ??= reason
      act(() => {
        for (const listener of lostListeners) listener(lostReason!)
      })
    }
  }
}

/** The arguments of every call to `method` (`domain.method`, e.g. 'tables.history'), in order. */
export function callsTo(engine: FakeEngine, method: string): unknown[] {
  return engine.calls.filter((c) => c.method === method).map((c) => c.arg)
}
