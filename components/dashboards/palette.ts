/**
 * Series colours: mid-lightness hues that read on both the light and the dark theme, in an
 * order where neighbours differ in hue (the first two are the dual-axis pair).
 */
const PALETTE = [
  "oklch(0.6 0.16 250)",
  "oklch(0.68 0.17 45)",
  "oklch(0.62 0.15 150)",
  "oklch(0.6 0.2 20)",
  "oklch(0.6 0.16 300)",
  "oklch(0.7 0.14 90)",
  "oklch(0.62 0.12 200)",
  "oklch(0.6 0.18 340)",
  "oklch(0.55 0.1 110)",
  "oklch(0.65 0.12 270)",
] as const;

export function seriesColor(index: number): string {
  return PALETTE[index % PALETTE.length] ?? PALETTE[0];
}
