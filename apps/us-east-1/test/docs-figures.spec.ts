import { Template } from '@crdb-ory/core/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config';
import { synthesisSummary } from '@crdb-ory/deployment';
import { SynthesisResult, synthesizeAll } from '../src/synthesize';
import { WORKSPACE_ROOT, stackJson, tempDir } from './helpers';

/**
 * Figures the documents quote, held to what the code synthesizes for the defaults: when a change
 * moves one, this test names the document and the line to update (it prints the right one).
 */
const read = (path: string) => readFileSync(join(WORKSPACE_ROOT, path), 'utf8');
let outdir: string;
let synthesis: SynthesisResult;
beforeAll(() => {
  outdir = join(tempDir('docs-figures'), 'cdktf.out');
  synthesis = synthesizeAll(resolveConfig(undefined), outdir);
}, 120_000);

const resourcesOf = (stack: string, type: string) => Template.fromJSON(stackJson(outdir, stack)).all(type).length;
const SECONDS = / in \d+(\.\d+)? s /;

describe('figures in the documents match the code', () => {
  it('README: the summary line npm run synth prints for the defaults (stacks, order, resources per stack)', () => {
    const expected = synthesisSummary({ ...synthesis, stacksDir: join(WORKSPACE_ROOT, 'cdktf.out', 'stacks') }, 0, WORKSPACE_ROOT);
    const quoted = read('README.md').split('\n').find((line) => line.startsWith('synthesized '));
    expect(quoted?.replace(SECONDS, ' in <time> s '), `README.md should quote:\n${expected}`).toBe(expected.replace(SECONDS, ' in <time> s '));
  });

  it('docs/architecture.md: every stack, and the stacks each reads through remote state', () => {
    const rows = read('docs/architecture.md')
      .split('\n')
      .filter((line) => /^\| `[a-z-]+` \|/.test(line))
      .map((line) => line.split(' | '));
    const documented = Object.fromEntries(rows.map((cells) => [(cells[0] ?? '').replace(/^\| `|`$/g, ''), (cells[2] ?? '').replace(/ \|$/, '').split(', ').filter((name) => /^[a-z-]+$/.test(name) && name !== 'nothing').sort()]));
    const synthesized = Object.fromEntries(
      synthesis.stacks.map((stack) => [stack.name, Object.keys(stackJson(outdir, stack.name).data?.terraform_remote_state ?? {}).map((id) => id.replace(/^remote-state-/, '')).sort()]),
    );
    expect(documented).toEqual(synthesized);
  });

  it('docs/architecture.md: the EKS node group of the defaults', () => {
    const group = Object.values<any>(stackJson(outdir, 'eks').resource.aws_eks_node_group)[0];
    const scaling = Array.isArray(group.scaling_config) ? group.scaling_config[0] : group.scaling_config;
    expect(read('docs/architecture.md')).toContain(`EKS cluster: ${scaling.desired_size} x ${group.instance_types[0]}, one per AZ (min ${scaling.min_size}, max ${scaling.max_size}, AL2023)`);
  });

  it('packages/cockroach/README.md: the cockroach stack\'s alarms; packages/ory/README.md: the ory stack\'s Helm releases', () => {
    expect(read('packages/cockroach/README.md')).toContain(`${resourcesOf('cockroach', 'aws_cloudwatch_metric_alarm')} alarms, a dashboard`);
    expect(read('packages/ory/README.md')).toContain(`of ${resourcesOf('ory', 'helm_release')} releases`);
  });

  it('docs/review.md quotes no count of stacks or assertions (the report itself gives them)', () => {
    expect(read('docs/review.md')).not.toMatch(/\b\d+ of \d+ (stacks|assertions)\b/);
  });
});
