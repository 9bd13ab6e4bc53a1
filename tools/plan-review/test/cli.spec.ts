import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliIo, main, parseCliArgs } from '../src';
import { NODE_1_INSTANCE, destroyed, planJson, replaced, updated } from './plan-fixture';

/** An in-memory file system and captured output: the CLI tests read and write no file. */
function memoryIo(files: Record<string, string>) {
  const written: Record<string, string> = {};
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    },
    writeFile: (path, text) => void (written[path] = text),
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
  };
  return { io, written, stdout: () => out.join(''), stderr: () => err.join('') };
}

const FILES = {
  'plans/cockroach.plan.json': JSON.stringify(planJson([replaced(NODE_1_INSTANCE, [['user_data_base64']])])),
  'plans/network.json': JSON.stringify(planJson([updated('aws_vpc.vpc_1234')])),
  'plans/state.plan.json': JSON.stringify(planJson([destroyed('aws_s3_bucket.state-bucket_828F7150')])),
  'acks.json': JSON.stringify({ acknowledged: [{ stack: 'cockroach', address: NODE_1_INSTANCE, reason: 'rolling node 1 (ticket OPS-12)' }] }),
  'stale-acks.json': JSON.stringify({ acknowledged: [{ stack: 'network', address: 'aws_vpc.vpc_1234', reason: 'left over' }] }),
  'not-json.json': 'Error: Failed to load plugin schemas',
  'state-file.json': JSON.stringify({ format_version: '1.0', terraform_version: '1.11.4', values: {} }),
  'bad-acks.json': JSON.stringify({ acknowledged: [{ stack: 'cockroach', address: NODE_1_INSTANCE, reason: '' }] }),
};

function run(...argv: string[]) {
  const harness = memoryIo(FILES);
  return { code: main(argv, harness.io), ...harness };
}

describe('plan-review CLI', () => {
  it('exits 0 when nothing dangerous is planned, writing the Markdown to standard output', () => {
    const result = run('plans/network.json');
    expect(result.code).toBe(0);
    expect(result.stdout()).toContain('## Stack `network`');
    expect(result.stdout()).toContain('**Verdict: ✅ No unacknowledged dangerous action.**');
  });

  it('exits 1 on an unacknowledged dangerous action', () => {
    const result = run('plans/cockroach.plan.json', 'plans/network.json');
    expect(result.code).toBe(1);
    expect(result.stdout()).toContain('### ⛔ Dangerous actions (1 unacknowledged)');
  });

  it('exits 0 once the acknowledgement file covers it, showing the reason', () => {
    const result = run('plans/cockroach.plan.json', '--acknowledged', 'acks.json');
    expect(result.code).toBe(0);
    expect(result.stdout()).toContain('Acknowledged: yes (`aws_instance.node-1_instance_9677A2F7`: "rolling node 1 (ticket OPS-12)")');
  });

  it('takes acknowledgements on the command line too', () => {
    expect(run('plans/state.plan.json', '--acknowledge', 'state:aws_s3_bucket.state-bucket_828F7150=moving the state (OPS-14)').code).toBe(0);
    expect(run('plans/state.plan.json', '--acknowledge=cockroach:aws_s3_bucket.state-bucket_828F7150=wrong stack').code).toBe(1);
  });

  it('names the stack as told, or after the file', () => {
    expect(parseCliArgs(['plans/cockroach.plan.json', 'plans/network.json', 'eks=out/x.json']).plans).toEqual([
      { stack: 'cockroach', file: 'plans/cockroach.plan.json' },
      { stack: 'network', file: 'plans/network.json' },
      { stack: 'eks', file: 'out/x.json' },
    ]);
    expect(run('cockroach-pki=plans/cockroach.plan.json').stdout()).toContain('## Stack `cockroach-pki`');
  });

  it('warns of stale acknowledgements without failing', () => {
    const result = run('plans/network.json', '--acknowledged', 'stale-acks.json');
    expect(result.code).toBe(0);
    expect(result.stdout()).toContain('## ⚠️ Stale acknowledgements (1)');
    expect(result.stderr()).toBe('plan-review: warning: stale acknowledgement network aws_vpc.vpc_1234: matches no dangerous action\n');
  });

  it('writes the report to --out and the verdict to standard error', () => {
    const result = run('plans/state.plan.json', '--out', 'review.md');
    expect(result.code).toBe(1);
    expect(result.stdout()).toBe('');
    expect(result.written['review.md']).toContain('bucket-replaced');
    expect(result.stderr()).toContain('plan-review: ⛔ 1 unacknowledged dangerous action in state: acknowledge it or change the plan. (report: review.md)');
  });

  it('exits 2 naming the file and what is wrong with an input', () => {
    const cases: [string[], string][] = [
      [['missing.json'], 'plan-review: missing.json: cannot read the plan file (ENOENT)\n'],
      [['not-json.json'], 'plan-review: not-json.json: not JSON ('],
      [['state-file.json'], 'plan-review: state-file.json: no "resource_changes": not the output of `terraform show -json <planfile>`'],
      [['plans/network.json', '--acknowledged', 'bad-acks.json'], 'plan-review: bad-acks.json: acknowledged[0].reason: required, a non-empty string (got an empty string)\n'],
      [['plans/network.json', '--acknowledged', 'nope.json'], 'plan-review: nope.json: cannot read the acknowledgement file (ENOENT)\n'],
    ];
    for (const [argv, message] of cases) {
      const result = run(...argv);
      expect({ argv, code: result.code, stdout: result.stdout() }).toEqual({ argv, code: 2, stdout: '' });
      expect(result.stderr()).toContain(message);
    }
  });

  it('exits 2 on a usage error, naming the argument and its value, with the usage', () => {
    const cases: [string[], string][] = [
      [[], 'plan-review: no plan given: pass at least one <plan.json> or <stack>=<plan.json>'],
      [['plans/network.json', '--verbose'], 'plan-review: unknown option "--verbose" (allowed: --acknowledged, --acknowledge, --out, --help)'],
      [['plans/network.json', '--out'], 'plan-review: --out needs a value'],
      [['plans/network.json', '--acknowledge', 'network:aws_vpc.vpc_1234'], 'plan-review: --acknowledge "network:aws_vpc.vpc_1234": expected <stack>:<address>=<reason> with a non-empty reason'],
      [['plans/network.json', 'network=plans/state.plan.json'], 'plan-review: stack "network" given twice ("plans/network.json" and "plans/state.plan.json"); allowed: one plan per stack'],
      [['bad stack=plans/network.json'], 'plan-review: plan argument "bad stack=plans/network.json": stack name "bad stack" may hold letters, digits, "-", "_" and "."'],
    ];
    for (const [argv, message] of cases) {
      const result = run(...argv);
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
      expect(result.stderr()).toContain(`${message}`);
      expect(result.stderr()).toContain('Usage: npm run plan-review');
    }
  });

  it('prints the usage on --help and exits 0', () => {
    const result = run('--help');
    expect(result.code).toBe(0);
    expect(result.stdout()).toContain('Exit codes: 0 no unacknowledged dangerous action, 1 at least one, 2 usage or input error.');
  });
});

describe('npm run plan-review', () => {
  const root = join(__dirname, '..', '..', '..');
  const fixture = (name: string) => join(__dirname, 'fixtures', name);
  const runScript = (...args: string[]) =>
    spawnSync(process.execPath, ['--conditions=@crdb-ory/source', '--require', '@crdb-ory/workspace/register', 'tools/plan-review/src/main.ts', ...args], { cwd: root, encoding: 'utf8' });

  it('runs from the checkout on real Terraform plans and sets the exit code', () => {
    const result = runScript(`noop=${fixture('terraform-data-noop.plan.json')}`, fixture('terraform-data.plan.json'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('| `noop` | 0 | 0 | 0 | 0 | 0 (0 unacknowledged) |');
    expect(result.stdout).toContain('| `terraform-data` | 1 | 2 | 1 | 3 | 0 (0 unacknowledged) |');
    expect(runScript('--bogus').status).toBe(2);
  });
});
