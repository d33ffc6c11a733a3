// Tests the pipeline panel's number, duration, rate and path formatting.
import { describe, expect, it } from 'vitest'
import { formatClock, formatCount, formatDuration, formatRate, shortPipelinePath, statusLabel } from './pipelineFormat'

describe('pipelineFormat', () => {
  it('formats counts and durations at each scale', () => {
    expect(formatCount(1234567)).toBe('1,234,567')
    expect(formatDuration(850)).toBe('850 ms')
    expect(formatDuration(12_400)).toBe('12.4 s')
    expect(formatDuration(125_000)).toBe('2 min 5 s')
  })

  it('never rounds a failing rate up to 100%', () => {
    expect(formatRate(1)).toBe('100%')
    expect(formatRate(0.99999)).toBe('99.9%')
    expect(formatRate(0.5)).toBe('50.0%')
    expect(formatRate(null)).toBe('–')
  })

  it('writes clock times with milliseconds and statuses in words', () => {
    expect(formatClock(new Date(2026, 0, 4, 9, 5, 7, 42).getTime())).toBe('09:05:07.042')
    expect(statusLabel('no_new_data')).toBe('no new data')
    expect(statusLabel('idle')).toBe('not run')
  })

  it('shortens pipeline file paths to the part under the lakehouse', () => {
    expect(shortPipelinePath('/home/ada/lake/pipelines/sbit/01_bronze.sql')).toBe('pipelines/sbit/01_bronze.sql')
    expect(shortPipelinePath('C:\\lake\\pipelines\\sbit\\a.sql')).toBe('pipelines/sbit/a.sql')
    expect(shortPipelinePath('pipelines/sbit/a.sql')).toBe('pipelines/sbit/a.sql')
    expect(shortPipelinePath('/elsewhere/x.sql')).toBe('/elsewhere/x.sql')
  })
})
