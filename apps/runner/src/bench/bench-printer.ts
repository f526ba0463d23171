import type { BenchFigure, BenchSection, BenchSectionResult } from './bench-section.js';

/** A finished section, as printed. */
export interface BenchOutcome {
  readonly section: BenchSection;
  readonly result: BenchSectionResult;
}

/** A number for a human: thousands separators for large values, 3 significant digits for small ones. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1_000) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

function verdict(figure: BenchFigure): string {
  if (figure.pass === undefined) return '';
  return figure.pass ? 'PASS' : 'FAIL';
}

/** The human report: one table per section, each figure beside its same-run baseline and target. */
export function formatBench(outcomes: readonly BenchOutcome[], header: string): string {
  const lines: string[] = [header, ''];
  for (const { section, result } of outcomes) {
    lines.push(`== ${section.title}`);
    const cells = result.figures.map((figure) => [
      figure.name,
      `${formatNumber(figure.value)} ${figure.unit}`,
      figure.baseline ? `${figure.baseline.name}: ${formatNumber(figure.baseline.value)} ${figure.unit}` : '',
      figure.baseline && figure.baseline.value !== 0 ? `${formatNumber(figure.value / figure.baseline.value)}×` : '',
      figure.target ?? '',
      verdict(figure),
    ]);
    const headings = ['figure', 'value', 'baseline (same run)', 'ratio', 'target', ''];
    const widths = headings.map((heading, column) => Math.max(heading.length, ...cells.map((row) => row[column]!.length)));
    const render = (row: readonly string[]): string =>
      row.map((cell, column) => (column === 1 || column === 3 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
    lines.push(render(headings), ...cells.map(render));
    for (const note of result.notes ?? []) lines.push(`  ${note}`);
    lines.push('');
  }
  const judged = outcomes.flatMap(({ result }) => result.figures.filter((figure) => figure.pass !== undefined));
  const passed = judged.filter((figure) => figure.pass).length;
  lines.push(`Targets met: ${passed}/${judged.length}${judged.length > passed ? ` (missed: ${judged.filter((figure) => !figure.pass).map((figure) => figure.name).join('; ')})` : ''}`);
  return lines.join('\n');
}

/** The `--json` document: each section's JSON under its id, plus what ran where. */
export function benchJson(outcomes: readonly BenchOutcome[], environment: Record<string, unknown>): Record<string, unknown> {
  const document: Record<string, unknown> = { environment };
  for (const { section, result } of outcomes) document[section.id] = result.json;
  document['targets'] = outcomes.flatMap(({ section, result }) =>
    result.figures.filter((figure) => figure.pass !== undefined).map((figure) => ({ section: section.id, figure: figure.name, value: figure.value, target: figure.target, pass: figure.pass })),
  );
  return document;
}
