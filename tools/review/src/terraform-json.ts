/** One diagnostic of `terraform test -json`. */
export interface TerraformDiagnostic {
  /** The test file whose run raised it (`tests/network.tftest.hcl`), when there is one. */
  readonly testFile?: string;
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail: string;
  /** File and line the diagnostic points at (`tests/review.tftest.hcl`, line of an assert's condition). */
  readonly file?: string;
  readonly line?: number;
  /** The source line, and what the values in it were (`aws_lb.sql.internal is false`). */
  readonly code?: string;
  readonly values: readonly string[];
}

/** What `terraform test -json` reported: its diagnostics and whether every run passed. */
export interface TerraformTestReport {
  readonly diagnostics: readonly TerraformDiagnostic[];
  /** `test_summary.status`; undefined when Terraform stopped before (a configuration error). */
  readonly status?: string;
  /** Final status (`pass`, `fail`, `error`) of each test file that completed. */
  readonly files: ReadonlyMap<string, string>;
  /** Seconds from each test file's start to its completion (its runs and teardown), by the messages' timestamps. */
  readonly fileSeconds: ReadonlyMap<string, number>;
}

interface JsonLine {
  readonly type?: string;
  readonly '@timestamp'?: string;
  readonly '@testfile'?: string;
  readonly test_file?: { path?: string; progress?: string; status?: string };
  readonly diagnostic?: {
    severity?: string;
    summary?: string;
    detail?: string;
    range?: { filename?: string; start?: { line?: number } };
    snippet?: { code?: string; values?: Array<{ traversal?: string; statement?: string }> };
  };
  readonly test_summary?: { status?: string };
}

/** Parses the machine-readable output of `terraform test -json` (one JSON object per line; other lines are ignored). */
export function parseTerraformTestJson(output: string): TerraformTestReport {
  const diagnostics: TerraformDiagnostic[] = [];
  const files = new Map<string, string>();
  const started = new Map<string, number>();
  const fileSeconds = new Map<string, number>();
  let status: string | undefined;
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: JsonLine;
    try {
      entry = JSON.parse(line) as JsonLine;
    } catch {
      continue;
    }
    if (entry.type === 'test_summary') status = entry.test_summary?.status;
    if (entry.type === 'test_file' && entry.test_file?.progress === 'complete' && entry.test_file.path && entry.test_file.status) files.set(entry.test_file.path, entry.test_file.status);
    const at = Date.parse(entry['@timestamp'] ?? '');
    if (entry.type === 'test_file' && entry.test_file?.path && !Number.isNaN(at)) {
      if (entry.test_file.progress === 'starting') started.set(entry.test_file.path, at);
      const start = started.get(entry.test_file.path);
      if (entry.test_file.progress === 'complete' && start !== undefined) fileSeconds.set(entry.test_file.path, (at - start) / 1000);
    }
    const d = entry.diagnostic;
    if (entry.type !== 'diagnostic' || !d) continue;
    diagnostics.push({
      ...(entry['@testfile'] ? { testFile: entry['@testfile'] } : {}),
      severity: d.severity === 'warning' ? 'warning' : 'error',
      summary: d.summary ?? '',
      detail: d.detail ?? '',
      ...(d.range?.filename ? { file: d.range.filename } : {}),
      ...(d.range?.start?.line ? { line: d.range.start.line } : {}),
      ...(d.snippet?.code ? { code: d.snippet.code.trim() } : {}),
      values: (d.snippet?.values ?? []).map((v) => `${v.traversal ?? ''} ${v.statement ?? ''}`.trim()),
    });
  }
  return { diagnostics, files, fileSeconds, ...(status ? { status } : {}) };
}

/** A diagnostic as a person reads it (what `terraform test` prints without -json, minus colours and boxes). */
export function formatDiagnostic(d: TerraformDiagnostic): string {
  const where = d.file ? `  on ${d.file}${d.line ? ` line ${d.line}` : ''}${d.code ? `: ${d.code}` : ''}` : undefined;
  return [`${d.severity === 'error' ? 'Error' : 'Warning'}: ${d.summary}`, ...(where ? [where] : []), ...d.values.map((v) => `    ${v}`), ...(d.detail ? [d.detail] : [])].join('\n');
}
