import { runTerraform, terraformAvailable } from '@crdb-ory/terraform-harness';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS, planStoppedWith } from '../src';

describe.skipIf(!terraformAvailable())('an expected plan-time stop', () => {
  it('is found in the real terraform output, whose message wraps over lines', () => {
    const message = SCENARIOS.find((s) => s.name === 'name-prefix')?.expectedStops?.find((stop) => stop.stack === 'eks')?.message ?? '';
    expect(message).not.toBe('');
    // The eks cluster's precondition, on a terraform_data (no provider): the deployed network stack tagged the subnets for `ory`.
    const dir = mkdtempSync(join(tmpdir(), 'crdb-ory-precondition-'));
    try {
      writeFileSync(
        join(dir, 'main.tf.json'),
        JSON.stringify({
          variable: { tagged: { default: 'ory' } },
          resource: {
            terraform_data: {
              cluster: {
                input: 'crdb-ory2-ory',
                lifecycle: { precondition: [{ condition: '${var.tagged == "crdb-ory2-ory"}', error_message: 'The network stack tagged the Ory subnets for another EKS cluster name than "crdb-ory2-ory": deploy the network stack with the same eks.clusterName.' }] },
              },
            },
          },
        }),
      );
      expect(runTerraform(['init', '-input=false'], { cwd: dir }).ok).toBe(true);
      const plan = runTerraform(['plan', '-input=false'], { cwd: dir });
      expect(plan.ok).toBe(false);
      expect(plan.output).toMatch(/name than\n"crdb-ory2-ory"/);
      expect(planStoppedWith(plan, message)).toBe(true);
      expect(planStoppedWith({ ok: false, output: 'Error: something else' }, message)).toBe(false);
      expect(planStoppedWith({ ok: true, output: plan.output }, message)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
