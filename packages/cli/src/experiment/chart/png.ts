/**
 * SVG → PNG with resvg (a Rust renderer shipped as a native Node addon; the platform binary is
 * an optional dependency). System fonts are loaded so the text renders; DejaVu Sans is the
 * default family because it is present on nearly every Linux install.
 */
import { Resvg } from '@resvg/resvg-js';
import { FONT } from './line-chart.js';

export interface PngOptions {
  /** Multiplies the SVG's size; 2 gives crisp images on high-DPI screens. */
  scale?: number;
}

export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  const m = /width="(\d+)"/.exec(svg);
  const width = Number(m?.[1] ?? 640) * (options.scale ?? 1.5);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: Math.round(width) },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: FONT.split(',')[0]! },
  });
  return resvg.render().asPng();
}
