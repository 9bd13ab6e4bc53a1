import type { Row } from './database';
import type { StepResult } from './flow';
import type { LatencyStats } from './percentiles';
import type { VerifyReport } from './run';

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Lays out rows under a header, columns padded to their widest cell. */
function table(header: readonly string[], rows: readonly (readonly string[])[], separator = ' | '): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(separator).trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join(separator.replace(/[^|]/g, '-').replace('|', '+'));
  return [line(header), rule, ...rows.map(line)];
}

/** The rows a step read, laid out as psql prints them. */
export function formatRecord(rows: readonly Row[]): string {
  if (rows.length === 0) return '(0 rows)';
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const body = table(columns, rows.map((r) => columns.map((c) => cell(r[c]))));
  return [...body, `(${rows.length} row${rows.length === 1 ? '' : 's'})`].join('\n');
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}

/** One progress line, as a step finishes. */
export function formatProgress(result: StepResult): string {
  const iteration = result.iteration > 1 ? ` #${result.iteration}` : '';
  const head = `[${result.service}${iteration}] ${result.ok ? 'ok  ' : 'FAIL'} ${result.step} (${formatMs(result.durationMs)})`;
  return result.error ? `${head}\n    ${result.error.message}\n    likely cause: ${result.error.likelyCause}` : head;
}

function recordsSection(results: readonly StepResult[]): string[] {
  return results.flatMap((r) => (r.iteration === 1 && r.record ? [`-- ${r.service}: ${r.step}`, formatRecord(r.record), ''] : []));
}

function latencySection(latency: Readonly<Record<string, LatencyStats>>): string[] {
  const entries = Object.entries(latency);
  if (entries.length === 0 || entries.every(([, s]) => s.count < 2)) return [];
  const rows = entries.map(([name, s]) => [name, String(s.count), formatMs(s.p50), formatMs(s.p90), formatMs(s.p99), formatMs(s.max)]);
  return ['', 'Latency per flow and step:', ...table(['flow / step', 'runs', 'p50', 'p90', 'p99', 'max'], rows, '  ')];
}

function failuresSection(results: readonly StepResult[]): string[] {
  const failed = results.flatMap((r) => (r.error ? [{ ...r, error: r.error }] : []));
  if (failed.length === 0) return [];
  return ['', 'Failures:', ...failed.flatMap((r) => [`- ${r.service}: ${r.step} [${r.error.kind}]`, `  ${r.error.message}`, `  likely cause: ${r.error.likelyCause}`])];
}

/** Human output for stdout: the records of the first run, a summary table (check, result, time), latency and failures. */
export function formatHumanReport(report: VerifyReport): string {
  const firstRun = report.results.filter((r) => r.iteration === 1);
  const summary = table(['check', 'result', 'time'], firstRun.map((r) => [`${r.service}: ${r.step}`, r.ok ? 'PASS' : 'FAIL', formatMs(r.durationMs)]), '  ');
  const verdict = report.ok ? 'All checks passed.' : 'Verification FAILED.';
  return [...recordsSection(report.results), ...summary, ...latencySection(report.latency), ...failuresSection(report.results), '', verdict, ''].join('\n');
}

/** Machine output: every step result (all iterations), the certificates seen, latency stats and the exit code. */
export function formatJsonReport(report: VerifyReport, exitCode: number): string {
  return JSON.stringify({ ok: report.ok, exitCode, results: report.results, certificates: report.certificates, backups: report.backups, databaseRegions: report.databaseRegions, latency: report.latency }, null, 2) + '\n';
}
