import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planJson, replaced } from './plan-fixture';

const real = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'terraform-data.plan.json'), 'utf8'));

describe('the plan fixtures', () => {
  it('have the top-level keys of a real terraform show -json plan', () => {
    expect(Object.keys(planJson([])).sort()).toEqual(Object.keys(real).filter((key) => key !== 'variables' && key !== 'relevant_attributes').sort());
  });

  it('write a replacement with the keys and value types Terraform writes', () => {
    const realReplacement = real.resource_changes.find((change: any) => change.address === 'terraform_data.trig');
    const fixture = (planJson([replaced('terraform_data.trig', [['triggers_replace']])]) as any).resource_changes[0];
    expect(Object.keys(fixture).sort()).toEqual(Object.keys(realReplacement).sort());
    expect(Object.keys(fixture.change).sort()).toEqual(Object.keys(realReplacement.change).sort());
    expect(fixture.change.replace_paths).toEqual(realReplacement.change.replace_paths);
    expect(fixture.action_reason).toBe(realReplacement.action_reason);
  });
});
