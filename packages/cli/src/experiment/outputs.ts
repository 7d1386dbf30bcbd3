/**
 * Writes a run's output folder: summary.csv, the plots (SVG and PNG), report.html and run.json
 * (raw.jsonl is streamed while the run goes, see runner.ts). Returns the files written.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { svgToPng } from './chart/png.js';
import { buildPlots } from './plots.js';
import { reportHtml } from './report-html.js';
import { runInfoJson, type RunInfo } from './run-record.js';
import { summaryCsv, type PointSummary } from './summary.js';

export const OUTPUT_FILES = {
  raw: 'raw.jsonl',
  summary: 'summary.csv',
  report: 'report.html',
  run: 'run.json',
} as const;

export async function writeOutputs(
  outDir: string,
  info: RunInfo,
  rows: readonly PointSummary[],
): Promise<string[]> {
  const written: string[] = [];
  const put = async (name: string, data: string | Uint8Array) => {
    await writeFile(join(outDir, name), data);
    written.push(name);
  };
  await put(
    OUTPUT_FILES.summary,
    summaryCsv(
      rows,
      info.processes.map((p) => p.id),
    ),
  );
  const plots = buildPlots(rows);
  for (const plot of plots) {
    const svg = `<?xml version="1.0" encoding="UTF-8"?>\n${plot.svg}\n`;
    await put(`${plot.name}.svg`, svg);
    await put(`${plot.name}.png`, svgToPng(plot.svg));
  }
  await put(OUTPUT_FILES.report, reportHtml(info, plots, rows));
  await put(OUTPUT_FILES.run, runInfoJson(info));
  return written;
}
