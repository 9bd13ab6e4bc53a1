import { describe, expect, it } from 'vitest';
import { assertionConditionLines, assertionOutcomes, formatDiagnostic, parseTerraformTestJson, renderTestFile } from '../src';

const line = (value: unknown) => JSON.stringify(value);
const assertionFailed = (at: number, detail: string) =>
  line({ type: 'diagnostic', diagnostic: { severity: 'error', summary: 'Test assertion failed', detail, range: { filename: 'tests/review.tftest.hcl', start: { line: at } }, snippet: { code: '    condition     = aws_lb.x.internal', values: [{ traversal: 'aws_lb.x.internal', statement: 'is false' }] } } });

describe('terraform test -json', () => {
  it('parses the diagnostics and the summary, ignoring other lines', () => {
    const report = parseTerraformTestJson(['not json', assertionFailed(12, 'the load balancer is internal'), line({ type: 'test_summary', test_summary: { status: 'fail' } })].join('\n'));
    expect(report.status).toBe('fail');
    expect(report.diagnostics).toHaveLength(1);
    expect(report.diagnostics.map(formatDiagnostic)[0]).toBe('Error: Test assertion failed\n  on tests/review.tftest.hcl line 12: condition     = aws_lb.x.internal\n    aws_lb.x.internal is false\nthe load balancer is internal');
  });

  it('times each test file from its start to its completion (each stack of a shared terraform test), from the messages\' timestamps', () => {
    const progress = (path: string, progress: string, at: string, status?: string) => line({ type: 'test_file', '@timestamp': at, test_file: { path, progress, ...(status ? { status } : {}) } });
    const report = parseTerraformTestJson(
      [
        progress('tests/state.tftest.hcl', 'starting', '2026-12-06T20:26:19.935873Z'),
        progress('tests/state.tftest.hcl', 'teardown', '2026-12-06T20:26:21.000000Z'),
        progress('tests/state.tftest.hcl', 'complete', '2026-12-06T20:26:21.435873Z', 'pass'),
        progress('tests/network.tftest.hcl', 'starting', '2026-12-06T20:26:21.436000Z'),
        progress('tests/network.tftest.hcl', 'complete', '2026-12-06T20:26:26.936000Z', 'fail'),
        progress('tests/cut.tftest.hcl', 'starting', '2026-12-06T20:26:27.000000Z'),
      ].join('\n'),
    );
    expect([...report.fileSeconds]).toEqual([
      ['tests/state.tftest.hcl', 1.5],
      ['tests/network.tftest.hcl', 5.5],
    ]);
    expect(report.files.get('tests/network.tftest.hcl')).toBe('fail');
  });

  it('maps failures to assertions by the line of their condition in the rendered test file', () => {
    const assertions = [
      { condition: 'a == 1', errorMessage: 'first' },
      { condition: 'b == 2', errorMessage: 'second' },
    ];
    const lines = assertionConditionLines(renderTestFile([], [], assertions));
    expect(lines).toHaveLength(2);
    const failures = parseTerraformTestJson(assertionFailed(lines[1] ?? 0, 'second')).diagnostics;
    expect(assertionOutcomes(assertions, lines, false, failures).map((a) => a.outcome)).toEqual(['passed', 'failed']);
    expect(assertionOutcomes(assertions, lines, true, []).map((a) => a.outcome)).toEqual(['passed', 'passed']);
  });

  it('marks assertions not evaluated when the mocked apply itself failed', () => {
    const applyError = parseTerraformTestJson(line({ type: 'diagnostic', diagnostic: { severity: 'error', summary: 'Resource precondition failed', detail: 'deploy network first' } })).diagnostics;
    expect(assertionOutcomes([{ condition: 'a', errorMessage: 'x' }], [10], false, applyError).map((a) => a.outcome)).toEqual(['not evaluated']);
  });
});
