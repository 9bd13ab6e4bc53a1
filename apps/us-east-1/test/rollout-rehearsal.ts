import type { StackReview } from '@crdb-ory/core';
import { hclString, hclValue, renderTestFile, terraformCheckInput } from '@crdb-ory/review';
import { GO_RUNTIME_ENV, AWS_PROVIDER, findProviderMirror, runTerraformAsync, writeMirrorCliConfig } from '@crdb-ory/terraform-harness';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUTPUT_CONTRACTS } from '../src/review/stack-reviews';

type Json = Record<string, any>;

/**
 * Two synthesized versions of one stack as one Terraform configuration: every string that
 * differs between them becomes `<common prefix>${var.lifted_N}<common suffix>`, the variable
 * defaulting to the old middle part. Runs of `terraform test` then apply the old stack and plan
 * or apply the new one against the same state. Any other difference (a key, a number, a
 * middle part that holds a Terraform expression) throws: the rehearsal never guesses.
 */
export function liftDifferences(before: Json, after: Json): { json: Json; newValues: Record<string, string> } {
  const oldValues: Record<string, string> = {};
  const newValues: Record<string, string> = {};
  const walk = (a: unknown, b: unknown, path: string): unknown => {
    if (typeof a === 'string' && typeof b === 'string') {
      if (a === b) return a;
      let start = 0;
      while (start < a.length && start < b.length && a[start] === b[start]) start++;
      let end = 0;
      while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
      const [oldMiddle, newMiddle] = [a.slice(start, a.length - end), b.slice(start, b.length - end)];
      if (/[${}%]/.test(oldMiddle + newMiddle) || /[$%]$/.test(a.slice(0, start))) throw new Error(`${path}: the difference "${oldMiddle}" -> "${newMiddle}" touches a Terraform template`);
      const name = `lifted_${Object.keys(oldValues).length}`;
      oldValues[name] = oldMiddle;
      newValues[name] = newMiddle;
      return `${a.slice(0, start)}\${var.${name}}${a.slice(a.length - end)}`;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.map((item, i) => walk(item, b[i], `${path}[${i}]`));
    if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
      const keys = Object.keys(a);
      if (keys.join() !== Object.keys(b).join()) throw new Error(`${path}: the keys differ`);
      return Object.fromEntries(keys.map((key) => [key, walk((a as Json)[key], (b as Json)[key], `${path}.${key}`)]));
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${path}: ${JSON.stringify(a)} -> ${JSON.stringify(b)} cannot be lifted`);
    return a;
  };
  const json = walk(before, after, '') as Json;
  json['variable'] = Object.fromEntries(Object.entries(oldValues).map(([name, value]) => [name, { type: 'string', default: value }]));
  return { json, newValues };
}

/** One `run` block after the first (mocked) apply of the old stack. */
export interface RehearsalRun {
  readonly name: string;
  readonly command: 'plan' | 'apply';
  /** Use the new stack's values. */
  readonly newValues: boolean;
  /** Addresses to replace (`plan_options { replace = [...] }`). */
  readonly replace?: readonly string[];
  /** Addresses to target (`plan_options { target = [...] }`), as the roll's targeted apply of one node. */
  readonly target?: readonly string[];
}

export interface RehearsalResult {
  /** Planned actions per run and address, e.g. `{ change_plan: { 'aws_instance.x': ['no-op'] } }`. */
  readonly plans: Record<string, Record<string, string[]>>;
  /** State after each apply run (`terraform show -json` shape), the first run being `mocked_apply`. */
  readonly states: Record<string, Json>;
  /** `terraform test`'s verdict: `pass` when every run applied or planned without error. */
  readonly status: string;
  readonly output: string;
}

/**
 * Runs `terraform init` and `terraform test -json -verbose` on the lifted stack: first a mocked
 * apply of the old stack (mocks and remote state as in the offline review), then `runs`, all
 * against one state. Needs terraform and the aws provider mirror.
 */
export async function rehearse(lifted: { json: Json; newValues: Record<string, string> }, review: StackReview, runs: readonly RehearsalRun[]): Promise<RehearsalResult> {
  const mirror = findProviderMirror(AWS_PROVIDER);
  if (!mirror) throw new Error('no filesystem mirror of hashicorp/aws 5.100.0 found (set TF_PROVIDER_MIRROR)');
  const dir = mkdtempSync(join(tmpdir(), 'crdb-ory-rollout-'));
  try {
    const json = { ...lifted.json, terraform: { ...lifted.json['terraform'], backend: undefined } };
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(json));
    const input = terraformCheckInput(dir, json, review, OUTPUT_CONTRACTS);
    const base = renderTestFile(input.providers, input.inputs, [], input.overrideData, input.awsMocks);
    mkdirSync(join(dir, 'tests'));
    writeFileSync(join(dir, 'tests', 'rollout.tftest.hcl'), `${base}\n${runs.map((run) => renderRun(run, lifted.newValues)).join('\n\n')}\n`);
    const cliConfigFile = writeMirrorCliConfig(dir, mirror, [AWS_PROVIDER]);
    const init = await runTerraformAsync(['init', '-backend=false', '-input=false'], { cwd: dir, cliConfigFile, env: GO_RUNTIME_ENV });
    if (!init.ok) throw new Error(`terraform init failed:\n${init.output}`);
    const test = await runTerraformAsync(['test', '-json', '-verbose'], { cwd: dir, cliConfigFile, env: GO_RUNTIME_ENV, timeoutSeconds: 600 });
    return { ...parseTestOutput(test.output), output: test.output.length > 20_000 ? test.output.slice(-20_000) : test.output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function renderRun(run: RehearsalRun, newValues: Record<string, string>): string {
  const lines = [`run ${hclString(run.name)} {`, `  command = ${run.command}`];
  if (run.newValues) lines.push('  variables {', ...Object.entries(newValues).map(([name, value]) => `    ${name} = ${hclValue(value)}`), '  }');
  if (run.replace?.length || run.target?.length) {
    lines.push('  plan_options {');
    if (run.replace?.length) lines.push(`    replace = [${run.replace.join(', ')}]`);
    if (run.target?.length) lines.push(`    target = [${run.target.join(', ')}]`);
    lines.push('  }');
  }
  lines.push('}');
  return lines.join('\n');
}

function parseTestOutput(output: string): Omit<RehearsalResult, 'output'> {
  const plans: RehearsalResult['plans'] = {};
  const states: RehearsalResult['states'] = {};
  let status = 'unknown';
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const message = JSON.parse(line) as Json;
    if (message['type'] === 'test_plan') {
      plans[message['@testrun']] = Object.fromEntries(
        (message['test_plan']['resource_changes'] ?? []).map((change: Json) => [change['address'], change['change']['actions']]),
      );
    }
    if (message['type'] === 'test_state') states[message['@testrun']] = message['test_state'];
    if (message['type'] === 'test_summary') status = message['test_summary']['status'];
  }
  return { plans, states, status };
}
