/**
 * A Sankey of journey transitions: d3-sankey computes the layout, Preact draws the SVG, so
 * every label is a text node. Laid out at the container's width, so it stays legible on phones.
 */
import { sankey, sankeyLinkHorizontal, type SankeyLink, type SankeyNode } from 'd3-sankey'
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { formatCount, humanize } from '../lib/format'
import type { SankeyInput } from '../lib/sankey-data'

type N = { name: string }
type L = { source: number; target: number; value: number }

const COLORS = ['#2f6fed', '#3f8ae0', '#1a9e74', '#6aa84f', '#8f5bd6', '#d9822b', '#b4549c']

export function Sankey({ input, label }: { input: SankeyInput; label: string }) {
  const box = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState(720)
  useEffect(() => {
    const el = box.current
    if (!el) return
    const measure = () => el.clientWidth && setWidth(Math.max(300, el.clientWidth))
    measure()
    const ro = new ResizeObserver(measure)
    ro.observe(el)
    return () => ro.disconnect()
  }, [])

  const narrow = width < 560
  const height = narrow ? 300 : 340
  const nodeWidth = narrow ? 10 : 14
  const graph = useMemo(() => {
    const layout = sankey<N, L>()
      .nodeWidth(nodeWidth)
      .nodePadding(narrow ? 10 : 16)
      .extent([
        [1, 8],
        [width - 1, height - 8],
      ])
    const g = layout({
      nodes: input.nodes.map((n) => ({ name: n.name, fixedValue: n.value })),
      links: input.links.map((l) => ({ ...l })),
    })
    // One column per stage, in stage order (the input's node order), whatever depth
    // d3-sankey inferred, so a journey that skips stages still reads left to right. Stages
    // hang from the top, churn sits at the bottom; then the links are laid out again.
    const step = g.nodes.length > 1 ? (width - 2 - nodeWidth) / (g.nodes.length - 1) : 0
    g.nodes.forEach((n, i) => {
      const h = (n.y1 ?? 0) - (n.y0 ?? 0)
      n.x0 = 1 + i * step
      n.x1 = n.x0 + nodeWidth
      n.y0 = n.name === 'churn' ? height - 8 - h : 8
      n.y1 = n.y0 + h
    })
    return layout.update(g)
  }, [input, width, height, narrow, nodeWidth])
  const color = (n: SankeyNode<N, L>) => COLORS[(n.index ?? 0) % COLORS.length]
  const path = sankeyLinkHorizontal<N, L>()

  return (
    <div ref={box}>
      <svg class="sankey" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
        <g>
          {graph.links.map((l: SankeyLink<N, L>, i) => {
            const s = l.source as SankeyNode<N, L>
            const t = l.target as SankeyNode<N, L>
            return (
              <path
                key={i}
                class="link"
                d={path(l) ?? undefined}
                stroke={color(s)}
                stroke-width={Math.max(1, l.width ?? 1)}
              >
                <title>{`${humanize(s.name)} → ${humanize(t.name)}: ${formatCount(l.value)}`}</title>
              </path>
            )
          })}
        </g>
        <g>
          {graph.nodes.map((n) => {
            const x0 = n.x0 ?? 0
            const x1 = n.x1 ?? 0
            const y0 = n.y0 ?? 0
            const y1 = n.y1 ?? 0
            const right = x0 > width - 120
            return (
              <g key={n.name}>
                <rect x={x0} y={y0} width={x1 - x0} height={Math.max(1, y1 - y0)} fill={color(n)}>
                  <title>{`${humanize(n.name)}: ${formatCount(n.value ?? 0)}`}</title>
                </rect>
                <text
                  x={right ? x0 - 4 : x1 + 4}
                  y={(y0 + y1) / 2}
                  dy="0.35em"
                  text-anchor={right ? 'end' : 'start'}
                >
                  {narrow
                    ? n.name.replace(/_/g, ' ')
                    : `${humanize(n.name)} ${formatCount(n.value ?? 0)}`}
                </text>
              </g>
            )
          })}
        </g>
      </svg>
    </div>
  )
}
