import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { motoPython } from './python';
import type { StackRehearsal } from './stack-rehearsal';
import { StepResult, TerraformSetup, lastLines, terraformIn } from './terraform-steps';

const REQUEST_QUOTA_INCREASE = join(__dirname, '..', 'moto', 'request_quota_increase.py');

/** The plan-time vCPU check's advice, `--quota-code L-1216C47A --desired-value <n>`, read from a stopped plan. */
export function requestedVcpus(planOutput: string): number | undefined {
  const match = /--quota-code L-1216C47A --desired-value (\d+)/.exec(planOutput.replace(/\s+/g, ' '));
  return match ? Number(match[1]) : undefined;
}

/**
 * The first plan of a stack that runs instances, in the emulator's fresh account (the documented
 * default vCPU quota, 5): it must stop at the vCPU check before anything is created, with the
 * message that names L-1216C47A; then the operator step the message asks for, a quota increase to
 * the value it names. Both are recorded as steps of the stack. Returns whether both happened.
 */
export async function freshAccountVcpuStop(rehearsal: StackRehearsal, setup: TerraformSetup, endpoint: string): Promise<boolean> {
  const terraform = terraformIn(rehearsal.dir, setup);
  const init = await terraform(['init', '-input=false']);
  if (!init.ok) {
    rehearsal.steps.push({ step: 'init', ok: false, seconds: init.seconds, detail: lastLines(init.output) });
    return false;
  }
  const plan = await terraform(['plan', '-input=false', '-lock=false']);
  const desired = requestedVcpus(plan.output);
  const stopped = !plan.ok && desired !== undefined && /Resource postcondition failed/.test(plan.output) && !/Apply complete/.test(plan.output);
  const message = stopMessage(plan.output);
  rehearsal.steps.push({ step: 'plan in a fresh account (must stop at the vCPU quota)', ok: stopped, seconds: plan.seconds, detail: stopped ? message : lastLines(plan.output) });
  if (!stopped || desired === undefined) return false;
  const started = Date.now();
  const request = spawnSync(motoPython(), [REQUEST_QUOTA_INCREASE, endpoint, 'ec2', 'L-1216C47A', String(desired)], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, AWS_CA_BUNDLE: setup.env['AWS_CA_BUNDLE'] } });
  const applied = Number(request.stdout.trim());
  const step: StepResult = {
    step: `operator: request L-1216C47A increase to ${desired}`,
    ok: request.status === 0 && applied === desired,
    seconds: (Date.now() - started) / 1000,
    ...(request.status === 0 ? {} : { detail: request.stderr }),
  };
  rehearsal.steps.push(step);
  return step.ok;
}

/** The error line of a stopped plan: what an operator reads. */
export function stopMessage(output: string): string {
  const flat = output.replace(/\s*│\s*/g, ' ').replace(/\s+/g, ' ');
  const start = flat.indexOf('Error: Resource postcondition failed');
  return start < 0 ? lastLines(output, 5) : flat.slice(start, flat.indexOf('then plan again.', start) + 'then plan again.'.length || undefined).trim();
}
