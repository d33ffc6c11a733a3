// Component tests for the streaming panel against the in-memory engine: producer and query controls, live batches, late rows, checkpoint.
import { act, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { EngineError } from '../../../engine/api/errors'
import { createFakeEngine } from '../../../engine/testing/fakeEngine'
import { type FakeStream, fakeStream } from '../../../engine/testing/fakeStream'
import { callsTo, renderWithEngine } from '../../testing/renderWithEngine'
import { StreamsPage } from './StreamsPage'

const page = () => screen.getByRole('region', { name: 'Streaming' })
const producer = () => screen.getByRole('region', { name: 'Producer' })
const query = () => screen.getByRole('region', { name: 'Streaming query' })
const latest = () => screen.getByRole('region', { name: 'Latest batch' })
const caption = (chart: string) => within(screen.getByRole('figure', { name: chart })).getByText(/./, { selector: 'figcaption' }).textContent

/** Renders the panel and waits for the stream status; `fake` is the engine's stream domain, which pushes batches. */
async function renderPanel(engine = createFakeEngine()) {
  const result = renderWithEngine(<StreamsPage />, { engine })
  await within(await screen.findByRole('region', { name: 'Streaming query' })).findByRole('button', { name: 'Start query' })
  const fake = engine.stream as FakeStream
  /** Runs `n` batches of the running query, flushing the re-renders and the reloads they cause. */
  const batches = async (n: number, options?: Parameters<FakeStream['emitBatch']>[0]) => {
    await act(async () => {
      for (let i = 0; i < n; i++) fake.emitBatch(options)
    })
  }
  return { ...result, fake, batches }
}

/** Starts sbit_live with the default trigger (processingTime 500 ms) from the panel and waits until it runs. */
async function startQuery(user: ReturnType<typeof renderWithEngine>['user']) {
  await user.click(within(query()).getByRole('button', { name: 'Start query' }))
  await waitFor(() => expect(within(query()).getByTestId('query-status').textContent).toBe('running'))
}

describe('StreamsPage', () => {
  it('shows the producer and drives it with Start, Pause, Resume and Step', async () => {
    const { user, engine } = await renderPanel()
    expect(within(producer()).getByText('sbit heart-rate readings → landing/kafka_multiplex (topic bpm)')).toBeTruthy()
    expect(within(producer()).getByTestId('producer-status').textContent).toBe('idle')
    await user.click(within(producer()).getByRole('button', { name: 'Step producer' }))
    await waitFor(() => expect(within(producer()).getByTestId('producer-files').textContent).toBe('1'))
    expect(within(producer()).getByTestId('producer-records').textContent).toBe('100')
    expect(within(producer()).getByTestId('producer-last-event').textContent).toBe('2026-01-01 07:59:56')
    await user.click(within(producer()).getByRole('button', { name: 'Start producer' }))
    await waitFor(() => expect(within(producer()).getByTestId('producer-status').textContent).toBe('running'))
    expect((within(producer()).getByRole('button', { name: 'Start producer' }) as HTMLButtonElement).disabled).toBe(true)
    await user.click(within(producer()).getByRole('button', { name: 'Pause producer' }))
    await waitFor(() => expect(within(producer()).getByTestId('producer-status').textContent).toBe('paused'))
    await user.click(within(producer()).getByRole('button', { name: 'Resume producer' }))
    await waitFor(() => expect(within(producer()).getByTestId('producer-status').textContent).toBe('running'))
    expect(callsTo(engine, 'stream.controlProducer')).toEqual([{ action: 'step' }, { action: 'start' }, { action: 'pause' }, { action: 'resume' }])
  })

  it('applies only the changed knobs, checks what it can itself and shows the engine\'s refusal readably', async () => {
    const { user, engine } = await renderPanel()
    const late = within(producer()).getByLabelText('Late fraction')
    const rate = within(producer()).getByLabelText('Rate (files/s)')
    const apply = within(producer()).getByRole('button', { name: 'Apply settings' }) as HTMLButtonElement
    expect(apply.disabled).toBe(true)

    // A fraction above 1 is caught before the engine is asked.
    await user.clear(late)
    await user.type(late, '1.5')
    expect(late.getAttribute('aria-invalid')).toBe('true')
    expect(within(producer()).getByText('Late fraction must be between 0 and 1')).toBeTruthy()
    expect(apply.disabled).toBe(true)

    await user.clear(late)
    await user.type(late, '0.05')
    await user.clear(rate)
    await user.type(rate, '10')
    await user.click(apply)
    await waitFor(() => expect(callsTo(engine, 'stream.configureProducer')).toEqual([{ filesPerSecond: 10, late: 0.05 }]))
    expect((await engine.stream.status()).producer?.settings).toMatchObject({ filesPerSecond: 10, late: 0.05 })

    // A duplicate fraction above the engine's own limit (0.5) passes the panel's check; the engine's refusal names the setting.
    const duplicate = within(producer()).getByLabelText('Duplicate fraction')
    await user.clear(duplicate)
    await user.type(duplicate, '0.6')
    await user.click(apply)
    const alert = await within(producer()).findByRole('alert')
    expect(within(alert).getByText('The producer did not accept Duplicate fraction')).toBeTruthy()
    expect(within(alert).getByText('Producer setting duplicate must be a number from 0 to 0.5 (got 0.6).')).toBeTruthy()
    expect(within(alert).getByText('path duplicate · code INVALID_ARGUMENT')).toBeTruthy()
    expect(duplicate.getAttribute('aria-invalid')).toBe('true')
    expect(callsTo(engine, 'stream.configureProducer')[1]).toEqual({ duplicate: 0.6 })
  })

  it('explains a lakehouse without a producer', async () => {
    const engine = createFakeEngine()
    engine.stream = fakeStream(engine.emit, { producer: null })
    await renderPanel(engine)
    expect(within(producer()).getByRole('note').textContent).toMatch(/^This lakehouse has no live producer\./)
    expect(within(producer()).queryByRole('button', { name: 'Start producer' })).toBeNull()
  })

  it('starts sbit_live with the chosen trigger and stops it', async () => {
    const { user, engine } = await renderPanel()
    expect((within(query()).getByLabelText('Pipeline') as HTMLSelectElement).value).toBe('sbit_live')
    const interval = within(query()).getByLabelText('Interval (ms)')
    await user.clear(interval)
    expect(interval.getAttribute('aria-invalid')).toBe('true')
    expect((within(query()).getByRole('button', { name: 'Start query' }) as HTMLButtonElement).disabled).toBe(true)
    await user.type(interval, '750')
    await startQuery(user)
    expect(callsTo(engine, 'stream.start')).toEqual([{ pipeline: 'sbit_live', trigger: { kind: 'processingTime', intervalMs: 750 } }])
    expect(within(query()).getByRole('status', { name: 'Query status' }).textContent).toBe('sbit_live · processingTime 750 ms · 0 batches since 2026-01-01 08:00:00 · run stream-1')
    await user.click(within(query()).getByRole('button', { name: 'Stop query' }))
    await waitFor(() => expect(within(query()).getByTestId('query-status').textContent).toBe('stopped'))
    expect(callsTo(engine, 'stream.stop')).toEqual([{ runId: 'stream-1' }])

    await user.selectOptions(within(query()).getByLabelText('Pipeline'), 'sbit')
    await user.selectOptions(within(query()).getByLabelText('Trigger'), 'availableNow')
    expect(within(query()).queryByLabelText('Interval (ms)')).toBeNull()
    await startQuery(user)
    expect(callsTo(engine, 'stream.start')[1]).toEqual({ pipeline: 'sbit', trigger: { kind: 'availableNow' } })
  })

  it('shows a refused start readably', async () => {
    const engine = createFakeEngine()
    engine.stream.start = async () => {
      throw new EngineError('CHECKPOINT_LOCKED', 'another process streams sbit_live (lock file checkpoints/sbit_live/.lock)', { pipeline: 'sbit_live' })
    }
    const { user } = await renderPanel(engine)
    await user.click(within(query()).getByRole('button', { name: 'Start query' }))
    const alert = await within(query()).findByRole('alert')
    expect(within(alert).getByText('The query did not start or stop')).toBeTruthy()
    expect(within(alert).getByText('Another process streams sbit_live (lock file checkpoints/sbit_live/.lock).')).toBeTruthy()
    expect(within(alert).getByText('pipeline sbit_live · code CHECKPOINT_LOCKED')).toBeTruthy()
  })

  it('extends the charts and the latest-batch summary as batches arrive', async () => {
    const { user, batches, fake } = await renderPanel()
    expect(caption('Input and processed rows per second')).toBe('No batches yet: start the query to chart its micro-batches.')
    expect(within(latest()).getByText('No batch has run for this pipeline yet.')).toBeTruthy()
    await startQuery(user)

    await batches(1)
    expect(within(latest()).getByTestId('latest-batch-id').textContent).toBe('0')
    expect(caption('Input and processed rows per second')).toBe('1 batch · latest 240 input rows/s, 600 processed rows/s')

    await batches(2)
    expect(within(latest()).getByTestId('latest-batch-id').textContent).toBe('2')
    expect(within(latest()).getByTestId('latest-input-rows').textContent).toBe('140')
    expect(within(latest()).getByTestId('latest-rows-written').textContent).toBe('140')
    expect(within(latest()).getByTestId('latest-late-rows').textContent).toBe('0')
    expect(within(latest()).getByTestId('latest-duration').textContent).toBe('210 ms')
    expect(caption('State rows per batch')).toBe('3 batches · 48 state rows after batch 2')
    await waitFor(() =>
      expect(caption('Event time against processing time')).toBe('3 batches · max event time 2026-01-01 07:59:31 · watermark 2026-01-01 07:49:31 · 1 late row of silver.live_bpm_10min')
    )
    expect(within(query()).getByTestId('query-batches').textContent).toBe('3')
    expect(screen.getByRole('tab', { name: /^Live/ }).textContent).toBe('Live3')

    // Hundreds of batches stay charted (the caption counts them) and the summary follows the newest.
    await batches(297, { lateRows: 0 })
    expect(caption('State rows per batch')).toBe('300 batches · 1,236 state rows after batch 299')
    expect(within(latest()).getByTestId('latest-batch-id').textContent).toBe('299')
    expect((await fake.progress({ pipeline: 'sbit_live', limit: 1000 })).length).toBe(300)
  })

  it('lists late rows and explains one: event time against the watermark it missed, and its columns', async () => {
    const { user, batches, engine } = await renderPanel()
    expect(screen.getByText(/^No late rows/)).toBeTruthy()
    await startQuery(user)
    await batches(4)
    const list = await screen.findByRole('list', { name: 'Late rows' })
    await waitFor(() => expect(within(list).getAllByRole('button')).toHaveLength(2))
    // Newest first: batch 3's row, then batch 1's.
    expect(within(list).getAllByRole('button').map((b) => b.textContent)).toEqual(['07:48:31late by 1 minflow batch 3', '07:48:30late by 1 minflow batch 1'])
    await user.click(within(list).getAllByRole('button')[1]!)
    const detail = screen.getByRole('complementary', { name: 'Late row' })
    expect(within(detail).getByTestId('late-explanation').textContent).toBe(
      'event time 2026-01-01 07:48:30.500 ≤ watermark 2026-01-01 07:49:30.500 (flow batch 1), late by 1 min'
    )
    const values = within(detail).getByRole('region', { name: 'Late row values' })
    expect(within(values).getByText('device_id').nextSibling?.textContent).toBe('101')
    expect(within(values).getByText('time').nextSibling?.textContent).toBe('2026-01-01T07:48:30.500Z')
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('complementary', { name: 'Late row' })).toBeNull()

    // Refresh reads the rows again: a row written without an event reaching this window (another process) shows up.
    const read = engine.stream.lateRows.bind(engine.stream)
    engine.stream.lateRows = async (arg) => {
      const rows = await read(arg)
      return [{ ...rows[0]!, batchId: 9, row: { device_id: 999 } }, ...rows]
    }
    expect(screen.getByTestId('late-count').textContent).toBe('2 newest first')
    await user.click(screen.getByRole('button', { name: 'Refresh' }))
    await waitFor(() => expect(screen.getByTestId('late-count').textContent).toBe('3 newest first'))
    expect(within(screen.getByRole('list', { name: 'Late rows' })).getAllByRole('button')[0]!.textContent).toContain('batch 9')
  })

  it('lists each flow\'s checkpoint batches and refreshes after a batch', async () => {
    const { user, batches } = await renderPanel()
    await user.click(screen.getByRole('tab', { name: /^Checkpoint/ }))
    expect(within(page()).getByText(/has no flow checkpoints yet/)).toBeTruthy()
    await startQuery(user)
    await batches(2)
    const flow = await screen.findByRole('region', { name: 'Flow live_bpm_10min' })
    const table = within(flow).getByRole('table', { name: 'Checkpoint batches of live_bpm_10min' })
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3))
    const [newest] = within(table).getAllByRole('row').slice(1)
    expect(within(newest!).getAllByRole('cell').map((c) => c.textContent?.replace(/offsets\/\d+.*/s, 'offsets'))).toEqual([
      '1',
      'committed',
      'bronze.live_bpm_raw@1..2',
      '2026-01-01 07:49:30.500',
      '44',
      'offsets'
    ])
    const raw = screen.getByRole('region', { name: 'Flow live_bpm_raw' })
    expect(within(raw).getAllByRole('row')[1]!.textContent).toContain('landing/kafka_multiplex/part-00001.json')
    await batches(1)
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(4))
  })
})
