import { describe, expect, it } from 'vitest';
import { rehearsalPassed, rehearsalVerdict, renderRehearsalReport, type RehearsalResult, type StackRehearsal } from '../src';

const steps = (...failing: string[]) => ['init', 'plan', 'apply', 're-plan', 'destroy'].map((step) => ({ step, ok: !failing.includes(step), seconds: 1.5, ...(failing.includes(step) ? { detail: `${step} went wrong` } : {}) }));
const stack = (name: string, overrides: Partial<StackRehearsal> = {}): StackRehearsal => ({ name, mode: 'applied', dir: `/scratch/${name}`, steps: steps(), resources: 10, drift: [], adaptations: [], ...overrides });
const result = (overrides: Partial<RehearsalResult> = {}): RehearsalResult => ({
  motoVersion: '5.2.1',
  fixes: ['fix one', 'fix two'],
  synthesisSeconds: 1.2,
  stacks: [stack('state'), stack('cockroach-pki', { mode: 'seeded', adaptations: [{ kind: 'standIn', type: 'tls_private_key', count: 9, why: 'no tls provider' }] }), stack('eks', { adaptations: [{ kind: 'dropped', type: 'aws_eks_addon', count: 4, why: 'moto has no add-on API' }] })],
  move: { moved: ['state', 'cockroach-pki'], steps: [{ step: 'state init', ok: true, seconds: 1 }, { step: 'state plan', ok: true, seconds: 2 }], reviews: [], flagged: [], markdown: '', ok: true },
  scenarios: [],
  stateBucketObjectsDeleted: 12,
  seconds: 300,
  ...overrides,
});

describe('rehearsal verdict', () => {
  it('passes when every stack applied, re-planned clean and destroyed', () => {
    expect(rehearsalPassed(result())).toBe(true);
    expect(rehearsalVerdict(result())).toBe('rehearsal PASSED: 2 stacks applied and 1 seeded of 4, moved from 2 baseline stacks with nothing flagged, 30 resources, no drift, destroy clean, 0/0 changed-config plan reviews as expected (300 s)');
  });

  it('fails when the move from the baseline flagged something or did not happen', () => {
    const flagged = result({ move: { moved: ['cockroach-pki'], steps: [], reviews: [], flagged: ['pki-replaced cockroach-pki aws_secretsmanager_secret.node-1-secret_A2B36C9B'], markdown: '', ok: false, error: 'plan-review flagged pki-replaced ...' } });
    expect(rehearsalPassed(flagged)).toBe(false);
    expect(rehearsalVerdict(flagged)).toMatch(/move from the baseline NOT AS EXPECTED/);
    const { move: _move, ...withoutMove } = result();
    expect(rehearsalPassed(withoutMove)).toBe(false);
  });

  it('fails on drift, naming the stack', () => {
    const drifted = result({ stacks: [stack('network', { drift: ['aws_instance.x (update)'], steps: steps('re-plan') })] });
    expect(rehearsalPassed(drifted)).toBe(false);
    expect(rehearsalVerdict(drifted)).toMatch(/^rehearsal FAILED: .*drift in network,/);
  });

  it('fails when a destroy failed or never ran', () => {
    expect(rehearsalVerdict(result({ stacks: [stack('state', { steps: steps('destroy') })] }))).toMatch(/destroy FAILED in state/);
    expect(rehearsalPassed(result({ stacks: [stack('state', { steps: steps().filter((s) => s.step !== 'destroy') })] }))).toBe(false);
  });

  it('fails when the rehearsal stopped, and says why', () => {
    expect(rehearsalVerdict(result({ error: 'cockroach: apply failed' }))).toMatch(/^rehearsal FAILED: .*; stopped: cockroach: apply failed$/);
  });
});

describe('rehearsal.md', () => {
  const report = renderRehearsalReport(result({ stacks: [...result().stacks, stack('cockroach', { steps: steps('apply') })] }), { config: 'tools/rehearsal/config/rehearsal.config.json' });

  it('has one row per stack with its step times, and ory as not rehearsed', () => {
    expect(report).toContain('| state | applied | 10 | 1.5 | 1.5 | 1.5 | 1.5 | 1.5 | none |');
    expect(report).toContain('| cockroach-pki | seeded (stand-ins, see below) |');
    expect(report).toContain('| cockroach | FAILED | 10 | 1.5 | 1.5 | 1.5 FAILED | 1.5 | 1.5 | none |');
    expect(report).toMatch(/\| ory \| not rehearsed: its kubernetes, helm and random providers are not installable here/);
  });

  it('lists every launcher fix, every adaptation with its count, and the failure output', () => {
    expect(report).toContain('- fix one\n- fix two');
    expect(report).toContain('- cockroach-pki: stand-ins for 9 `tls_private_key`: no tls provider');
    expect(report).toContain('- eks: dropped 4 `aws_eks_addon`: moto has no add-on API');
    expect(report).toContain('### cockroach: apply\n\n```\napply went wrong\n```');
    expect(report).toMatch(/emptied .*\(12 object versions here\)/);
  });

  it('ends with the verdict line', () => {
    expect(report.trimEnd().split('\n').at(-1)).toMatch(/^rehearsal FAILED: /);
  });
});

describe('rehearsal.md, plan-time account checks', () => {
  it('lists every plan that stopped at an account check as it had to, with its message', () => {
    const stopped = { step: 'plan in a fresh account (must stop at the vCPU quota)', ok: true, seconds: 2, detail: 'Error: Resource postcondition failed ... L-1216C47A ... then plan again.' };
    const report = renderRehearsalReport(result({ stacks: [stack('cockroach', { steps: [stopped, ...steps()] })] }), { config: 'c.json' });
    expect(report).toContain('## Plan-time account checks that stopped a plan, as expected');
    expect(report).toContain('- cockroach, plan in a fresh account (must stop at the vCPU quota):');
    expect(report).toContain('  > Error: Resource postcondition failed ... L-1216C47A ... then plan again.');
    expect(renderRehearsalReport(result(), { config: 'c.json' })).not.toContain('Plan-time account checks');
  });
});
