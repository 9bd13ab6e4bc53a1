import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '@crdb-ory/core/terraform';
import { applyAcknowledgements, renderPlanReviewMarkdown, reviewPlan } from '../src';
import { NODE_1_INSTANCE, NODE_2_INSTANCE, planJson, replaced, updated } from './plan-fixture';

const SECRET_USER_DATA = 'Y29ja3JvYWNoIHN0YXJ0IC0tam9pbj1zZWNyZXQ=';

const cockroachPlan = () =>
  parsePlan(
    planJson([
      { ...replaced(NODE_1_INSTANCE, [['user_data_base64']]), before: { user_data_base64: 'b2xk' }, after: { user_data_base64: SECRET_USER_DATA }, afterSensitive: { user_data_base64: true } },
      updated(NODE_2_INSTANCE, { instance_type: 'm6i.large' }, { instance_type: 'm6i.xlarge' }),
    ]),
    'plans/cockroach.plan.json',
  );

describe('renderPlanReviewMarkdown', () => {
  const acks = [{ stack: 'cockroach', address: NODE_1_INSTANCE, reason: 'rolling node 1 | ticket OPS-12' }, { stack: 'ory', address: 'helm_release.hydra', reason: 'old' }];
  const markdown = renderPlanReviewMarkdown(applyAcknowledgements([reviewPlan('cockroach', cockroachPlan())], acks));

  it('summarizes each stack in a table and states its counts', () => {
    expect(markdown).toContain('| `cockroach` | 0 | 1 | 0 | 1 | 3 (2 unacknowledged) |');
    expect(markdown).toContain('Plan `plans/cockroach.plan.json`: 0 to add, 1 to change in place, 0 to destroy, 1 to replace.');
  });

  it('tables the replacements with the attributes forcing them and the reason', () => {
    expect(markdown).toContain('### Replacements (1)');
    expect(markdown).toContain(`| \`${NODE_1_INSTANCE}\` | \`user_data_base64\` | replace_because_cannot_update |`);
  });

  it('opens a loud section of the dangerous actions, each with its rule, resources, what, why and acknowledgement', () => {
    expect(markdown).toContain('### ⛔ Dangerous actions (2 unacknowledged, 1 acknowledged)');
    expect(markdown).toContain(`- ✅ **crdb-node-replaced**: CockroachDB node replaced or destroyed\n  - Resources: \`${NODE_1_INSTANCE}\``);
    expect(markdown).toContain(`  - Acknowledged: yes (\`${NODE_1_INSTANCE}\`: "rolling node 1 \\| ticket OPS-12")`);
    expect(markdown).toContain(`- ⛔ **crdb-node-stop-start**: In-place update stops and starts a CockroachDB node`);
    expect(markdown).toContain(`  - What: ${NODE_2_INSTANCE} will be stopped and started to update instance_type`);
    expect(markdown).toMatch(/- ⛔ \*\*crdb-nodes-touched\*\*[^\n]*\n[^\n]*\n[^\n]*\n {2}- Why it is dangerous: Changing several nodes at once/);
    expect(markdown).toContain(`  - Acknowledged: **no** (only \`${NODE_1_INSTANCE}\`: "rolling node 1 \\| ticket OPS-12"; missing \`${NODE_2_INSTANCE}\`)`);
  });

  it('lists stale acknowledgements as a warning and ends with the verdict', () => {
    expect(markdown).toContain('## ⚠️ Stale acknowledgements (1)');
    expect(markdown).toContain('| `ory` | `helm_release.hydra` | old |');
    expect(markdown.trimEnd().split('\n').at(-1)).toBe('**Verdict: ⛔ 2 unacknowledged dangerous actions in cockroach (1 acknowledged): acknowledge them or change the plan.**');
  });

  it('never shows a planned or prior value, sensitive or not', () => {
    expect(markdown).not.toContain(SECRET_USER_DATA);
    expect(markdown).not.toContain('b2xk');
    expect(markdown).not.toContain('m6i.xlarge');
    const real = parsePlan(readFileSync(join(__dirname, 'fixtures', 'terraform-data.plan.json'), 'utf8'), 'real.plan.json');
    const realMarkdown = renderPlanReviewMarkdown(applyAcknowledgements([reviewPlan('terraform-data', real)], []));
    expect(realMarkdown).not.toMatch(/secret-value/);
    expect(realMarkdown).toContain('### Dangerous actions: none');
    expect(realMarkdown).toContain('| `terraform_data.rep` | (not named by the plan) | replace_by_request |');
  });
});
