// Tests for renderWithEngine: the component sees the fake through the real EngineProvider, events arrive, a lost connection shows.
import { screen } from '@testing-library/react'
import { useEffect, useState } from 'react'
import { describe, expect, it } from 'vitest'
import { useEngineContext } from '../platform/engineContext'
import { callsTo, renderWithEngine } from './renderWithEngine'

function Probe() {
  const { engine, host, lostReason } = useEngineContext()
  const [name, setName] = useState('…')
  const [events, setEvents] = useState<string[]>([])
  useEffect(() => {
    void engine.lakehouse.info().then((info) => setName(info.name))
    return engine.onEvent((event) => setEvents((seen) => [...seen, event.type]))
  }, [engine])
  return (
    <p>
      {name} on {host}; events: {events.join(',') || 'none'}; lost: {lostReason ?? 'no'}
    </p>
  )
}

describe('renderWithEngine', () => {
  it('connects the component to the fake engine and records its calls', async () => {
    const { engine } = renderWithEngine(<Probe />, { host: 'desktop' })
    expect(await screen.findByText('fake on desktop; events: none; lost: no')).toBeTruthy()
    expect(callsTo(engine, 'lakehouse.info')).toEqual([undefined])
    expect(engine.listenerCount()).toBe(1)
  })

  it('delivers emitted events and a lost connection', async () => {
    const { emit, loseConnection } = renderWithEngine(<Probe />)
    await screen.findByText(/^fake on browser/)
    await emit({ type: 'tables.changed', statements: ['DROP TABLE silver.x'] })
    loseConnection('The engine stopped.')
    expect(screen.getByText('fake on browser; events: tables.changed; lost: The engine stopped.')).toBeTruthy()
  })

  it('unsubscribes the component when the test ends', async () => {
    const { engine, unmount } = renderWithEngine(<Probe />)
    await screen.findByText(/^fake on browser/)
    unmount()
    expect(engine.listenerCount()).toBe(0)
  })
})
