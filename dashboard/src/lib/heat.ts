/** Heatmap shading for a retention cell: share 0..1 to a background and a readable text colour. */

export function heatBackground(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return 'transparent'
  const a = Math.max(0.04, Math.min(1, share))
  return `rgba(47, 111, 237, ${a.toFixed(2)})`
}

/** Dark cells get white text. */
export function heatIsDark(share: number | null | undefined): boolean {
  return typeof share === 'number' && share >= 0.5
}
