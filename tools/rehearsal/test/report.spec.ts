import { describe, expect, it } from 'vitest';
import { rehearsalPassed, rehearsalVerdict, renderRehearsalReport, type RehearsalResult, type StackRehearsal } from '../src';

const steps = (...failing: string[]) =>
  ['init', 'plan', 'apply', 're-plan', 'teardown settings', 'destroy'].map((step) => ({ step, ok: !failing.includes(step), seconds: 1.5, ...(failing.includes(step) ? { detail: `${step} went wrong` } : {}) }));
const stack = (name: string, overrides: Partial<StackRehearsal> = {}): StackRehearsal => ({ environment: 'crdb-ory', name, mode: 'applied', dir: `/scratch/${name}`, steps: steps(), resources: 10, drift: [], adaptations: [], ...overrides });
const teardown = { ok: true, notStarted: [], costSummary: 'What stays costs $1.00 per month.', leftovers: [] };
const result = (overrides: Partial<RehearsalResult> = {}): RehearsalResult => ({
  motoVersion: '5.2.1',
  fixes: ['fix one', 'fix two'],
  synthesisSeconds: 1.2,
  environments: [
    { name: 'crdb-ory', description: 'the first', deleteData: false, teardown },
    { name: 'staging', description: 'the second', deleteData: true, teardown },
  ],
  stacks: [
    stack('state'),
    stack('cockroach-pki', { mode: 'seeded', adaptations: [{ kind: 'standIn', type: 'tls_private_key', count: 9, why: 'no tls provider' }] }),
    stack('eks', { adaptations: [{ kind: 'dropped', type: 'aws_eks_addon', count: 4, why: 'moto has no add-on API' }] }),
    stack('state', { environment: 'staging' }),
  ],
  move: { moved: ['state', 'cockroach-pki'], steps: [{ step: 'state init', ok: true, seconds: 1 }, { step: 'state plan', ok: true, seconds: 2 }], reviews: [], flagged: [], markdown: '', ok: true },
  scenarios: [],
  leftovers: { expected: 20, problems: [] },
  seconds: 300,
  ...overrides,
});

describe('rehearsal verdict', () => {
  it('passes when every stack of every environment applied, re-planned clean and was torn down, and what stays is what the dry runs said', () => {
    expect(rehearsalPassed(result())).toBe(true);
    expect(rehearsalVerdict(result())).toBe(
      'rehearsal PASSED: 2 environments in one account, 3 stacks applied and 1 seeded of 14, moved from 2 baseline stacks with nothing flagged, 40 resources, no drift, teardown clean, what stays as the dry runs said, 0/0 changed-config plan reviews as expected (300 s; deploy critical path 6 s (crdb-ory: state))',
    );
  });

  it('fails when the move from the baseline flagged something or did not happen', () => {
    const flagged = result({ move: { moved: ['cockroach-pki'], steps: [], reviews: [], flagged: ['pki-replaced cockroach-pki aws_secretsmanager_secret.node-1-secret_A2B36C9B'], markdown: '', ok: false, error: 'plan-review flagged pki-replaced ...' } });
    expect(rehearsalPassed(flagged)).toBe(false);
    expect(rehearsalVerdict(flagged)).toMatch(/move from the baseline NOT AS EXPECTED/);
    const withoutMove = result();
    delete (withoutMove as { move?: unknown }).move;
    expect(rehearsalPassed(withoutMove)).toBe(false);
  });

  it('fails on drift, naming the environment and stack', () => {
    const drifted = result({ stacks: [stack('network', { environment: 'staging', drift: ['aws_instance.x (update)'], steps: steps('re-plan') })] });
    expect(rehearsalPassed(drifted)).toBe(false);
    expect(rehearsalVerdict(drifted)).toMatch(/^rehearsal FAILED: .*drift in staging\/network,/);
  });

  it('fails when a teardown step failed or a destroy never ran', () => {
    expect(rehearsalVerdict(result({ stacks: [stack('state', { steps: steps('teardown settings') })] }))).toMatch(/teardown FAILED in crdb-ory\/state/);
    expect(rehearsalPassed(result({ stacks: [stack('state', { steps: steps().filter((s) => s.step !== 'destroy') })] }))).toBe(false);
    expect(rehearsalPassed(result({ environments: [{ name: 'crdb-ory', description: 'd', deleteData: false, teardown: { ...teardown, ok: false } }] }))).toBe(false);
  });

  it('fails when what stays differs from the dry runs, or was not checked', () => {
    expect(rehearsalVerdict(result({ leftovers: { expected: 3, problems: ['buckets: expected [], found ["x"]'] } }))).toMatch(/^rehearsal FAILED: .*what stays NOT as the dry runs said/);
    const unchecked = result();
    delete (unchecked as { leftovers?: unknown }).leftovers;
    expect(rehearsalPassed(unchecked)).toBe(false);
  });

  it('fails when the rehearsal stopped, and says why', () => {
    expect(rehearsalVerdict(result({ error: 'crdb-ory/cockroach: apply failed' }))).toMatch(/^rehearsal FAILED: .*; stopped: crdb-ory\/cockroach: apply failed$/);
  });
});

describe('rehearsal.md', () => {
  const report = renderRehearsalReport(result({ stacks: [...result().stacks, stack('cockroach', { steps: steps('apply') })] }), { config: 'tools/rehearsal/config/rehearsal.config.json' });

  it('counts and names the multi-region environment\'s own stacks: its regions\' ory stacks not rehearsed, with the reason, and the regions listed', () => {
    const why = 'its kubernetes, helm and random providers are not installable here';
    const multiRegion = result({
      environments: [
        { name: 'crdb-ory', description: 'the first', deleteData: false, app: 'us-east-1', synthesizedStacks: 7, notRehearsed: [{ name: 'ory', why }], teardown },
        { name: 'staging', description: 'the second', deleteData: true, app: 'multi-region', synthesizedStacks: 18, notRehearsed: ['us-east-1', 'us-east-2', 'us-west-2'].map((region) => ({ name: `ory-${region}`, why })), teardown },
      ],
      leftovers: { expected: 20, problems: [], regions: ['us-east-1', 'us-east-2', 'us-west-2'] },
    });
    expect(rehearsalVerdict(multiRegion)).toContain(' 3 stacks applied and 1 seeded of 25,');
    const report = renderRehearsalReport(multiRegion, { config: 'c.json' });
    expect(report).toContain(`| crdb-ory | ory | not rehearsed: ${why} |`);
    expect(report).toContain(`| staging | ory-us-west-2 | not rehearsed: ${why} |`);
    expect(report).not.toContain('| every | ory |');
    expect(report).toContain('2 environments side by side in the emulator\'s one account (regions us-east-1, us-east-2, us-west-2): ');
  });

  it('has one row per environment and stack with its step times, and ory as not rehearsed', () => {
    expect(report).toContain('| crdb-ory | state | applied | 10 | 1.5 | 1.5 | 1.5 | 1.5 | 1.5 | none |');
    expect(report).toContain('| staging | state | applied | 10 |');
    expect(report).toContain('| crdb-ory | cockroach-pki | seeded (stand-ins, see below) |');
    expect(report).toContain('| crdb-ory | cockroach | FAILED | 10 | 1.5 | 1.5 FAILED | 1.5 | 1.5 | 1.5 | none |');
    expect(report).toMatch(/\| every \| ory \| not rehearsed: its kubernetes, helm and random providers are not installable here/);
  });

  it('says how each environment was torn down, what stays and that the account holds exactly that', () => {
    expect(report).toContain('- `crdb-ory`: done. What stays costs $1.00 per month.');
    expect(report).toContain('- `staging` (`--delete-data`): done.');
    expect(report).toMatch(/exactly what the teardowns' dry runs said would stay \(20 items/);
  });

  it('lists every launcher fix, every adaptation once with its count, what the emulator cannot prove, and the failure output', () => {
    expect(report).toContain('- fix one\n- fix two');
    expect(report).toContain('- cockroach-pki: stand-ins for 9 `tls_private_key`: no tls provider');
    expect(report.match(/dropped 4 `aws_eks_addon`/g)).toHaveLength(1);
    expect(report).toMatch(/What the emulator cannot prove:\n\n- Nothing runs on the instances/);
    expect(report).toContain('### crdb-ory/cockroach: apply\n\n```\napply went wrong\n```');
  });

  it('gives each stack\'s deploy and teardown critical path along the stack graph, the wall time of each phase, and the longest path in the verdict', () => {
    const withGraph = result({
      stacks: [stack('state'), stack('network', { dependencies: ['state'] }), stack('cockroach', { dependencies: ['state', 'network'], steps: steps().map((step) => (step.step === 'apply' ? { ...step, seconds: 80 } : step)) })],
      timings: [
        { task: { id: 'crdb-ory deploy state', phase: 'deploy', kind: 'deploy', environment: 'crdb-ory', stack: 'state' }, started: 2, ended: 100, ownSeconds: 90 },
        { task: { id: 'crdb-ory move state', phase: 'move', kind: 'move', environment: 'crdb-ory', stack: 'state', needs: ['crdb-ory deploy state'] }, started: 100, ended: 160, ownSeconds: 55 },
        { task: { id: 'staging deploy state', phase: 'deploy', kind: 'deploy', environment: 'staging', stack: 'state', needs: ['crdb-ory deploy state'] }, started: 100, ended: 400, ownSeconds: 120 },
        { task: { id: 'scenario name-prefix', phase: 'scenarios', kind: 'scenario', scenario: 'name-prefix', needs: ['crdb-ory move state'] }, started: 170, ended: 230, ownSeconds: 60 },
        { task: { id: 'crdb-ory teardown', phase: 'teardown', kind: 'teardown', environment: 'crdb-ory', after: ['crdb-ory move state', 'staging deploy state', 'scenario name-prefix'] }, started: 400, ended: 520, ownSeconds: 110 },
      ],
      cpu: { terraform: 310.4, emulator: 42.2 },
    });
    const rendered = renderRehearsalReport(withGraph, { config: 'c.json' });
    // Terraform's own time per phase (each stack's 6 steps of 1.5 s, cockroach's apply 80 s; the move's steps) and the CPU, to compare runs on a shared machine.
    expect(rendered).toContain('Terraform time summed over every step: deploy 97 s, move 3 s, changed-configuration plans 0 s, teardown 9 s: 109 s in all, in 300 s of wall time. CPU: 310 s for the terraform processes (with their providers) and the python helpers, 42 s for the emulator.');
    // The phases overlap: each is reported as its wall span, from its first start to its last end.
    expect(rendered).toContain(
      "Wall spans, in seconds from the rehearsal's start: deploy of every environment from 2 s to 400 s (398 s); move of the first environment onto this version from 100 s to 160 s (60 s); changed-configuration plans from 170 s to 230 s (60 s); teardowns from 400 s to 520 s (120 s).",
    );
    // The longest chain by own time: staging's slow state (120 s) outweighs the move and the scenario (55 + 60 s).
    expect(rendered).toContain('Longest path through the whole rehearsal (each task\'s own terraform time, along what it waits for): 320 s, crdb-ory deploy state (90 s) → staging deploy state (120 s) → crdb-ory teardown (110 s).');
    // A stack's deploy path: the applies of the stacks it depends on (4.5 s each: their re-plans run beside it), then its own steps.
    expect(rendered).toContain('| crdb-ory | network | 6.0 | 10.5 | state → network | 3.0 | 6.0 | cockroach → network |');
    expect(rendered).toContain('| crdb-ory | cockroach | 84.5 | 93.5 | state → network → cockroach | 3.0 | 3.0 | cockroach |');
    expect(rehearsalVerdict(withGraph)).toMatch(/ \(300 s; longest path 320 s \(crdb-ory deploy state → staging deploy state → crdb-ory teardown\); deploy critical path 94 s \(crdb-ory: state → network → cockroach\)\)$/);
  });

  it('ends with the verdict line', () => {
    expect(report.trimEnd().split('\n').at(-1)).toMatch(/^rehearsal FAILED: /);
  });
});

describe('rehearsal.md, plan-time account checks', () => {
  it('lists every plan that stopped at an account check as it had to, with its message', () => {
    const stopped = { step: 'plan in a fresh account (must stop at the vCPU quota)', ok: true, seconds: 2, detail: 'Error: Resource postcondition failed ... L-1216C47A ... then plan again.' };
    const report = renderRehearsalReport(result({ stacks: [stack('cockroach', { steps: [stopped, ...steps()] })] }), { config: 'c.json' });
    expect(report).toContain('## Plan-time checks that stopped a plan, as expected');
    expect(report).toContain('- crdb-ory/cockroach, plan in a fresh account (must stop at the vCPU quota):');
    expect(report).toContain('  > Error: Resource postcondition failed ... L-1216C47A ... then plan again.');
    expect(renderRehearsalReport(result(), { config: 'c.json' })).not.toContain('Plan-time checks');
  });

  it('lists a second environment\'s plan that stopped at a quota the account shares, before the operator\'s request', () => {
    const stopped = { step: 'plan (stops at a quota the account shares)', ok: true, seconds: 2, detail: 'Error: Resource postcondition failed ... L-0263D0A3 ... is 5 ... then plan again.' };
    const request = { step: 'operator: request L-0263D0A3 increase to 6', ok: true, seconds: 1 };
    const report = renderRehearsalReport(result({ stacks: [stack('network', { environment: 'staging', steps: [stopped, request, ...steps()] })] }), { config: 'c.json' });
    expect(report).toContain('- staging/network, plan (stops at a quota the account shares):');
    expect(report).toContain('  > Error: Resource postcondition failed ... L-0263D0A3 ... is 5 ... then plan again.');
  });
});

describe('rehearsal.md, changed configurations', () => {
  it('shows why a changed configuration is not as expected: the end of each failed step\'s output, under the table', () => {
    const scenario = { name: 'name-prefix', description: 'a renamed prefix', change: {}, expectedStacks: ['cockroach'], expectedFlags: [] };
    const failed = { step: 'cockroach plan', ok: false, seconds: 30, detail: 'Error: reading EC2 Instance: operation error EC2: DescribeInstances, https response error StatusCode: 500' };
    const scenarios = [
      { scenario, planned: ['cockroach'], steps: [{ step: 'cockroach init', ok: true, seconds: 1 }, failed], reviews: [], flagged: [], markdown: '', ok: false, error: 'cockroach: plan failed' },
      { scenario: { ...scenario, name: 'data-volume' }, planned: ['cockroach'], steps: [{ step: 'cockroach plan', ok: true, seconds: 20 }], reviews: [], flagged: [], markdown: '', ok: true },
    ];
    const report = renderRehearsalReport(result({ scenarios }), { config: 'c.json' });
    expect(report).toContain('| a renamed prefix | cockroach | - | nothing | **NO**: cockroach: plan failed |');
    expect(report).toContain(['name-prefix, cockroach plan, failed:', '', '```', failed.detail, '```'].join('\n'));
    expect(report).not.toContain('data-volume, cockroach plan');
  });
});
