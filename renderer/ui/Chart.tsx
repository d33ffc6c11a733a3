// Chart: a bar, line or scatter chart of one X column against one or more Y series (ECharts, canvas), coloured by the theme.
import { BarChart, LineChart, ScatterChart } from 'echarts/charts'
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { type EChartsType, init, use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { useEffect, useRef, useState } from 'react'
import './chart.css'

// Only what these charts use is registered, so the bundle carries three chart types, not all of ECharts.
use([BarChart, LineChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer])

export type ChartKind = 'bar' | 'line' | 'scatter'
/** `category`: X values are labels; `time`: epoch milliseconds; `value`: numbers. */
export type ChartAxisType = 'category' | 'value' | 'time'

export interface ChartSeries {
  name: string
  /** One value per X value; null leaves a gap. */
  values: (number | null)[]
}

export interface ChartProps {
  kind: ChartKind
  xName: string
  xType: ChartAxisType
  x: (string | number | null)[]
  series: ChartSeries[]
  ariaLabel: string
}

interface Palette {
  text: string
  muted: string
  border: string
  panel: string
  series: string[]
}

/** The theme's colours, read from the CSS variables on <html> (so a theme switch is a re-read, not a code change). */
function readPalette(): Palette {
  const style = getComputedStyle(document.documentElement)
  const read = (name: string) => style.getPropertyValue(name).trim()
  const series = Array.from({ length: 8 }, (_, i) => read(`--chart-${i + 1}`)).filter((c) => c !== '')
  return { text: read('--text'), muted: read('--muted'), border: read('--border'), panel: read('--panel'), series }
}

/** Follows `data-theme` on <html>: returns a counter that changes whenever the theme does. */
function useThemeVersion(): number {
  const [version, setVersion] = useState(0)
  useEffect(() => {
    const observer = new MutationObserver(() => setVersion((v) => v + 1))
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class', 'style'] })
    return () => observer.disconnect()
  }, [])
  return version
}

/**
 * Draws the chart into a box that fills its parent and follows its size. Category X axes take labels; time and
 * value axes plot [x, y] pairs (rows with a null X are skipped there).
 */
export function Chart({ kind, xName, xType, x, series, ariaLabel }: ChartProps) {
  const host = useRef<HTMLDivElement>(null)
  const chart = useRef<EChartsType | null>(null)
  const themeVersion = useThemeVersion()

  useEffect(() => {
    const element = host.current!
    const instance = init(element, undefined, { renderer: 'canvas' })
    chart.current = instance
    const observer = new ResizeObserver(() => instance.resize())
    observer.observe(element)
    return () => {
      observer.disconnect()
      instance.dispose()
      chart.current = null
    }
  }, [])

  useEffect(() => {
    const palette = readPalette()
    const axisLine = { lineStyle: { color: palette.border } }
    const splitLine = { lineStyle: { color: palette.border, opacity: 0.6 } }
    const axisLabel = { color: palette.muted, hideOverlap: true }
    const large = x.length > 2000
    chart.current?.setOption(
      {
        color: palette.series,
        backgroundColor: 'transparent',
        textStyle: { color: palette.text, fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
        // ECharts writes a description of the data (series, first values) as the canvas's aria-label.
        aria: { enabled: true, label: { data: { maxCount: 12 } } },
        animation: x.length <= 2000,
        grid: { left: 12, right: 24, top: series.length > 1 ? 36 : 16, bottom: 30, containLabel: true },
        legend: series.length > 1 ? { top: 4, textStyle: { color: palette.text } } : { show: false },
        tooltip: {
          trigger: kind === 'scatter' ? 'item' : 'axis',
          backgroundColor: palette.panel,
          borderColor: palette.border,
          textStyle: { color: palette.text }
        },
        xAxis: {
          type: xType,
          name: xName,
          nameLocation: 'middle',
          nameGap: 26,
          nameTextStyle: { color: palette.muted },
          data: xType === 'category' ? x.map((v) => (v === null ? 'NULL' : String(v))) : undefined,
          axisLine,
          axisLabel,
          splitLine: { show: xType !== 'category', ...splitLine },
          scale: xType === 'value'
        },
        yAxis: { type: 'value', axisLine, axisLabel, splitLine, scale: kind === 'scatter' },
        series: series.map((s) => ({
          type: kind,
          name: s.name,
          large,
          showSymbol: kind !== 'line' || x.length <= 200,
          symbolSize: kind === 'scatter' ? 6 : 4,
          data: xType === 'category' ? s.values : pairs(x, s.values)
        }))
      },
      { notMerge: true }
    )
  }, [kind, xName, xType, x, series, ariaLabel, themeVersion])

  return (
    <figure className="chart-figure" aria-label={ariaLabel}>
      <div ref={host} className="chart-host" />
    </figure>
  )
}

function pairs(x: (string | number | null)[], values: (number | null)[]): [number, number | null][] {
  const out: [number, number | null][] = []
  for (let i = 0; i < x.length; i++) {
    const at = x[i]
    if (typeof at === 'number') out.push([at, values[i] ?? null])
  }
  return out
}
