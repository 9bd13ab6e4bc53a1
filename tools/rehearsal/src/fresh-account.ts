import { cpuOf } from '@crdb-ory/terraform-harness';
import { join } from 'node:path';
import { runPython } from './python';
import type { StackRehearsal } from './stack-rehearsal';
import { StepResult, TerraformSetup, lastLines, terraformIn } from './terraform-steps';

const REQUEST_QUOTA_INCREASE = join(__dirname, '..', 'moto', 'request_quota_increase.py');

/** One quota increase a plan-time account check asks for: `--region <r> --service-code <s> --quota-code <q> --desired-value <n>`. */
export interface QuotaIncrease {
  /** Quotas are per Region: the one the check's message names. */
  readonly region: string;
  readonly serviceCode: string;
  readonly quotaCode: string;
  readonly desiredValue: number;
}

/** Every quota increase a stopped plan's check messages ask for (core's `quotaIncreaseHint` wording), each quota of each Region once, its highest value. */
export function requestedQuotaIncreases(planOutput: string): QuotaIncrease[] {
  const byCode = new Map<string, QuotaIncrease>();
  for (const match of planOutput.replace(/\s*│\s*/g, ' ').replace(/\s+/g, ' ').matchAll(/--region (\S+) --service-code (\S+) --quota-code (L-[0-9A-F]+) --desired-value (\d+)/g)) {
    const [, region = '', serviceCode = '', quotaCode = '', value = ''] = match;
    const known = byCode.get(`${region} ${quotaCode}`);
    if (!known || known.desiredValue < Number(value)) byCode.set(`${region} ${quotaCode}`, { region, serviceCode, quotaCode, desiredValue: Number(value) });
  }
  return [...byCode.values()];
}

/** The plan-time vCPU check's advice, `--quota-code L-1216C47A --desired-value <n>`, read from a stopped plan. */
export function requestedVcpus(planOutput: string): number | undefined {
  return requestedVcpuIncrease(planOutput)?.desiredValue;
}

function requestedVcpuIncrease(planOutput: string): QuotaIncrease | undefined {
  return requestedQuotaIncreases(planOutput).find((increase) => increase.quotaCode === 'L-1216C47A');
}

/** Whether a plan stopped at a plan-time check (a postcondition) before anything was applied. */
export function stoppedAtCheck(planOutput: string): boolean {
  return /Resource postcondition failed/.test(planOutput) && !/Apply complete/.test(planOutput);
}

/** The operator's quota request, as the check's message words it (`moto/request_quota_increase.py`), recorded as a step. */
export async function requestQuotaIncrease(increase: QuotaIncrease, setup: TerraformSetup, endpoint: string): Promise<StepResult> {
  const started = Date.now();
  const request = await runPython([REQUEST_QUOTA_INCREASE, endpoint, increase.region, increase.serviceCode, increase.quotaCode, String(increase.desiredValue)], { ...process.env, AWS_CA_BUNDLE: setup.env['AWS_CA_BUNDLE'] }, 60_000);
  const applied = Number(request.stdout.trim());
  return {
    step: `operator: request ${increase.quotaCode} increase to ${increase.desiredValue} in ${increase.region}`,
    ok: request.status === 0 && applied === increase.desiredValue,
    seconds: (Date.now() - started) / 1000,
    ...(request.status === 0 ? {} : { detail: request.stderr }),
  };
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
    rehearsal.steps.push({ step: 'init', ok: false, seconds: init.seconds, ...cpuOf(init), detail: lastLines(init.output) });
    return false;
  }
  const plan = await terraform(['plan', '-input=false', '-lock=false']);
  const desired = requestedVcpuIncrease(plan.output);
  const stopped = !plan.ok && desired !== undefined && stoppedAtCheck(plan.output);
  const message = stopMessage(plan.output);
  rehearsal.steps.push({ step: 'plan in a fresh account (must stop at the vCPU quota)', ok: stopped, seconds: plan.seconds, ...cpuOf(plan), detail: stopped ? message : lastLines(plan.output) });
  if (!stopped || desired === undefined) return false;
  const step = await requestQuotaIncrease(desired, setup, endpoint);
  rehearsal.steps.push(step);
  return step.ok;
}

/** The error line of a stopped plan: what an operator reads. */
export function stopMessage(output: string): string {
  const flat = output.replace(/\s*│\s*/g, ' ').replace(/\s+/g, ' ');
  const start = flat.indexOf('Error: Resource postcondition failed');
  return start < 0 ? lastLines(output, 5) : flat.slice(start, flat.indexOf('then plan again.', start) + 'then plan again.'.length || undefined).trim();
}
