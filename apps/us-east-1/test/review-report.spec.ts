import { renderMarkdown, reviewStacks, reviewVerdict } from '@crdb-ory/review';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config';
import { policyContext } from '@crdb-ory/deployment';
import { reviewContext } from '../src/review/review-context';
import { OUTPUT_CONTRACTS, STACK_REVIEWS } from '../src/review/stack-reviews';
import { synthesizeAll } from '../src/synthesize';
import { tempDir } from './helpers';

/**
 * The report `npm run review` writes for the defaults, built as the command builds it (the
 * Terraform runs are left out here: the review target runs them, and the command's own test
 * runs them on another configuration). A reviewer reads it top down: it must stay short.
 */
let report: string;
beforeAll(async () => {
  const outdir = join(tempDir('review-report'), 'cdktf.out');
  const loaded = readConfig({}, tempDir('no-config'));
  const synthesis = synthesizeAll(loaded.config, outdir, undefined, loaded.fingerprint);
  const result = await reviewStacks({ outdir, reviews: STACK_REVIEWS, contracts: OUTPUT_CONTRACTS, policy: synthesis.policy, order: synthesis.stacks.map((s) => s.name), policyContext: policyContext(loaded.config), terraform: false });
  report = renderMarkdown(result, reviewVerdict(result, false), reviewContext(loaded, synthesis));
}, 180_000);

describe('review.md for the defaults', () => {
  it('stays under 150 lines, with no line longer than a warning', () => {
    const lines = report.trimEnd().split('\n');
    expect(lines.length).toBeLessThan(150);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThan(700);
  });

  it('has its sections in the order a reviewer decides', () => {
    expect(report.split('\n').filter((line) => line.startsWith('## '))).toEqual(['## Configuration', '## Exposed outside the VPCs', '## Monthly cost drivers', '## Synthesis warnings', '## Stacks']);
  });

  it('shows the settings a reviewer must see, and says what the defaults mean for them', () => {
    expect(report).toContain('Every setting is its default.');
    for (const setting of ['region', 'availabilityZones', 'namePrefix', 'domain', 'publicAccessCidrs', 'network.natGateways', 'eks.endpointPrivateAccessCidrs', 'stateBackend']) {
      expect(report).toMatch(new RegExp(`^\\| \`${setting.replace('.', '\\.')}\` \\| .* \\| \\(default\\) \\|$`, 'm'));
    }
    expect(report).toContain('| `namePrefix` | `"crdb-ory"` | (default) |');
    expect(report).toContain('**no domain: Ory runs in non-production mode');
  });

  it('exposes nothing outside the VPCs, and counts the cost drivers from the synthesized stacks, linking their prices', () => {
    expect(report).toContain('## Exposed outside the VPCs\n\nNothing:');
    expect(report).toMatch(/^\| NAT gateways \| \d+ \|/m);
    expect(report).toMatch(/^\| EC2 instances \| 3 \| 3 x m6i\.2xlarge \| cockroach \|$/m);
    expect(report).toContain('[docs/cost.md](../docs/cost.md)');
  });
});
