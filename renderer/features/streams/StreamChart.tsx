// StreamChart: one live streaming chart (ECharts, canvas) over a time X axis, themed by CSS variables, with clickable points.
import { LineChart, ScatterChart } from 'echarts/charts'
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { type EChartsType, init, use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { formatTime } from './streamFormat'

use([LineChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer])

export interface StreamChartSeries {
  id: string
  name: string
  kind: 'line' | 'step' | 'scatter'
  data: [number, number | null][]
  /** A CSS variable for the colour (`--danger`); default the theme's next chart colour. */
  colorVar?: string
  /** ECharts symbol for scatter points ('circle', 'triangle', 'diamond'). */
  symbol?: string
}

export interface StreamChartProps {
  /** The figure's accessible name. */
  label: string
  /** A one-line text summary of what is drawn (the figure's caption, read by screen readers and tests). */
  caption: string
  yName: string
  yType: 'value' | 'time'
  series: StreamChartSeries[]
  /** Called with the series id and the point's index when a point is clicked. */
  onPointClick?(seriesId: string, index: number): void
  /** Controls beside the caption, under the plot (e.g. which table the chart shows). */
  controls?: ReactNode
}

/** Reads a CSS variable from <html>, so a theme switch is a re-read, not a code change. */
function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim()
}

/** Changes whenever `data-theme` on <html> does. */
function useThemeVersion(): number {
  const [version, setVersion] = useState(0)
  useEffect(() => {
    const observer = new MutationObserver(() => setVersion((v) => v + 1))
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class'] })
    return () => observer.disconnect()
  }, [])
  return version
}

/** Axis labels for times spanning `spanMs`: clock time within a day, else month-day and minutes (ticks then fall on midnights). */
function timeLabelFor(spanMs: number): (ms: number) => string {
  return spanMs > 12 * 3600_000 ? (ms) => formatTime(ms).slice(5, 16) : (ms) => formatTime(ms).slice(11, 19)
}

/** Smallest and largest non-null value of one coordinate over every series, as a span in ms (0 without data). */
function spanOf(series: { data: [number, number | null][] }[], coordinate: 0 | 1): number {
  const values = series.flatMap((s) => s.data.map((d) => d[coordinate])).filter((v): v is number => v !== null)
  return values.length === 0 ? 0 : Math.max(...values) - Math.min(...values)
}

const timeLabel = timeLabelFor(0)

/** False where no 2D canvas exists (a DOM without graphics): the chart is then its caption only. */
function canvasAvailable(): boolean {
  try {
    return document.createElement('canvas').getContext('2d') !== null
  } catch {
    return false
  }
}

/**
 * Draws the series into a box that fills its parent. Lines show their symbols only while there are few points, so one
 * batch is a visible dot and hundreds stay a readable line. Where the canvas cannot start (no 2D context), only the
 * caption shows.
 */
export function StreamChart({ label, caption, yName, yType, series, onPointClick, controls }: StreamChartProps) {
  const host = useRef<HTMLDivElement>(null)
  const chart = useRef<EChartsType | null>(null)
  const click = useRef(onPointClick)
  click.current = onPointClick
  const themeVersion = useThemeVersion()

  useEffect(() => {
    const element = host.current!
    if (!canvasAvailable()) return
    const instance = init(element, undefined, { renderer: 'canvas' })
    chart.current = instance
    instance.on('click', (params) => {
      if (params.componentType === 'series' && typeof params.seriesId === 'string') click.current?.(params.seriesId, params.dataIndex)
    })
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => instance.resize())
    observer?.observe(element)
    return () => {
      observer?.disconnect()
      instance.dispose()
      chart.current = null
    }
  }, [])

  useEffect(() => {
    if (!chart.current) return
    const palette = Array.from({ length: 8 }, (_, i) => cssVar(`--chart-${i + 1}`)).filter((c) => c !== '')
    const text = cssVar('--text')
    const muted = cssVar('--muted')
    const border = cssVar('--border')
    const points = Math.max(0, ...series.map((s) => s.data.length))
    const axisLine = { lineStyle: { color: border } }
    const splitLine = { lineStyle: { color: border, opacity: 0.6 } }
    const axisLabel = { color: muted, hideOverlap: true }
    chart.current.setOption(
      {
        color: palette,
        backgroundColor: 'transparent',
        textStyle: { color: text, fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
        aria: { enabled: true, label: { description: `${label}. ${caption}` } },
        animation: false,
        grid: { left: 12, right: 20, top: 30, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
        legend: { top: 2, textStyle: { color: text }, itemHeight: 8 },
        tooltip: {
          trigger: 'item',
          backgroundColor: cssVar('--panel'),
          borderColor: border,
          textStyle: { color: text },
          formatter: (p: { seriesName: string; value: [number, number | null] }) =>
            `${p.seriesName}<br/>${timeLabel(p.value[0])} → ${p.value[1] === null ? '—' : yType === 'time' ? formatTime(p.value[1]) : p.value[1].toLocaleString('en-US')}`
        },
        xAxis: { type: 'time', axisLine, axisLabel: { ...axisLabel, formatter: timeLabelFor(spanOf(series, 0)) }, splitLine: { show: false } },
        yAxis: {
          type: yType,
          name: yName,
          nameTextStyle: { color: muted, align: 'left' },
          axisLine,
          axisLabel: yType === 'time' ? { ...axisLabel, formatter: timeLabelFor(spanOf(series, 1)) } : axisLabel,
          splitLine,
          scale: true
        },
        series: series.map((s) => ({
          id: s.id,
          name: s.name,
          type: s.kind === 'scatter' ? 'scatter' : 'line',
          ...(s.kind === 'step' ? { step: 'end' } : {}),
          ...(s.colorVar ? { itemStyle: { color: cssVar(s.colorVar) }, lineStyle: { color: cssVar(s.colorVar) } } : {}),
          ...(s.kind === 'scatter' ? { symbol: s.symbol ?? 'circle', symbolSize: 9, cursor: 'pointer', z: 5 } : { showSymbol: points <= 60, symbolSize: 5, connectNulls: false }),
          data: s.data
        }))
      },
      { notMerge: true }
    )
  }, [label, caption, yName, yType, series, themeVersion])

  return (
    <figure className="st-chart" aria-label={label}>
      <div ref={host} className="st-chart-host" />
      <div className="st-chart-foot">
        <figcaption className="st-chart-caption">{caption}</figcaption>
        {controls && <div className="st-chart-controls">{controls}</div>}
      </div>
    </figure>
  )
}
