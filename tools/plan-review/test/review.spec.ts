import { describe, expect, it } from 'vitest';
import { PlanInputError, parsePlan } from '@crdb-ory/core/terraform';
import { applyAcknowledgements, flaggedActions, parseAcknowledgements, planReviewVerdict, reviewPlan } from '../src';
import { NODE_1_INSTANCE, NODE_1_SETTINGS, NODE_2_INSTANCE, created, destroyed, planJson, replaced, unchanged, updated } from './plan-fixture';

const cockroach = () =>
  reviewPlan(
    'cockroach',
    parsePlan(
      planJson([
        replaced(NODE_1_INSTANCE, [['user_data_base64'], ['root_block_device', 0, 'volume_size']]),
        updated(NODE_2_INSTANCE),
        updated(NODE_1_SETTINGS),
        created('aws_cloudwatch_metric_alarm.node-1_alarm_AAAA'),
        destroyed('aws_ssm_parameter.old_BBBB'),
        unchanged('aws_security_group.nodes_CCCC'),
        { address: 'data.aws_ami.ubuntu', mode: 'data', actions: ['read'] },
      ]),
      'cockroach.plan.json',
    ),
  );

describe('reviewPlan', () => {
  it('counts managed changes by kind, a replacement once', () => {
    expect(cockroach().counts).toEqual({ adds: 1, changes: 2, destroys: 1, replacements: 1, forgets: 0 });
  });

  it('lists each replacement with the attributes forcing it and the reason', () => {
    expect(cockroach().replacements).toEqual([{ address: NODE_1_INSTANCE, forcedBy: ['user_data_base64', 'root_block_device[0].volume_size'], reason: 'replace_because_cannot_update' }]);
  });

  it('runs the rules given, by default the whole pack', () => {
    expect(cockroach().findings.map((f) => `${f.ruleId} ${f.addresses.join(' ')}`)).toEqual([`crdb-node-replaced ${NODE_1_INSTANCE}`, `crdb-nodes-touched ${NODE_1_INSTANCE} ${NODE_2_INSTANCE}`]);
    expect(reviewPlan('cockroach', parsePlan(planJson([replaced(NODE_1_INSTANCE)]), 'x.json'), []).findings).toEqual([]);
  });
});

describe('flaggedActions', () => {
  it('lists "<rule id> <stack> <address>" for every flagged address, sorted', () => {
    const state = reviewPlan('state', parsePlan(planJson([destroyed('aws_s3_bucket.state-bucket_828F7150')]), 'state.plan.json'));
    expect(flaggedActions([cockroach(), state])).toEqual([
      `crdb-node-replaced cockroach ${NODE_1_INSTANCE}`,
      `crdb-nodes-touched cockroach ${NODE_1_INSTANCE}`,
      `crdb-nodes-touched cockroach ${NODE_2_INSTANCE}`,
      'bucket-replaced state aws_s3_bucket.state-bucket_828F7150',
    ].sort());
  });
});

describe('applyAcknowledgements', () => {
  const ack = (address: string, stack = 'cockroach') => ({ stack, address, reason: `rolling ${address}` });

  it('acknowledges a finding only when every address it names is acknowledged for its stack', () => {
    const review = applyAcknowledgements([cockroach()], [ack(NODE_1_INSTANCE), ack(NODE_2_INSTANCE, 'eks')]);
    const [replacedNode, bothNodes] = review.stacks.flatMap((stack) => stack.findings);
    expect(replacedNode).toMatchObject({ acknowledged: true, acknowledgements: [ack(NODE_1_INSTANCE)] });
    expect(bothNodes).toMatchObject({ acknowledged: false, acknowledgements: [ack(NODE_1_INSTANCE)] });
    expect(planReviewVerdict(review.stacks)).toMatchObject({ ok: false, unacknowledged: 1, acknowledged: 1, blockingStacks: ['cockroach'] });
  });

  it('reports acknowledgements matching nothing as stale', () => {
    const review = applyAcknowledgements([cockroach()], [ack(NODE_1_INSTANCE), ack(NODE_2_INSTANCE), ack(NODE_2_INSTANCE, 'eks'), ack('aws_kms_key.key_1')]);
    expect(review.staleAcknowledgements).toEqual([ack(NODE_2_INSTANCE, 'eks'), ack('aws_kms_key.key_1')]);
    expect(planReviewVerdict(review.stacks)).toMatchObject({ ok: true, unacknowledged: 0, acknowledged: 2, line: '✅ No unacknowledged dangerous action (2 acknowledged).' });
  });
});

describe('parseAcknowledgements', () => {
  const error = (json: unknown) => {
    try {
      parseAcknowledgements(JSON.stringify(json), 'acks.json');
    } catch (e) {
      expect(e).toBeInstanceOf(PlanInputError);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  it('reads the entries', () => {
    expect(parseAcknowledgements('{ "acknowledged": [ { "stack": "cockroach", "address": "a.b", "reason": "rolling node 1 (ticket OPS-12)" } ] }', 'acks.json')).toEqual([
      { stack: 'cockroach', address: 'a.b', reason: 'rolling node 1 (ticket OPS-12)' },
    ]);
  });

  it('names the entry index and the field of a wrong entry', () => {
    expect(error({ acknowledged: [{ stack: 'a', address: 'b', reason: 'c' }, { stack: 'a', address: 'b' }] })).toBe('acks.json: acknowledged[1].reason: required, a non-empty string (got nothing)');
    expect(error({ acknowledged: [{ stack: 'a', address: 'b', reason: '  ' }] })).toBe('acks.json: acknowledged[0].reason: required, a non-empty string (got only blanks)');
    expect(error({ acknowledged: [{ stack: 'a', address: 'b', reason: 'c', ticket: 'OPS-1' }] })).toBe('acks.json: acknowledged[0]: unknown key "ticket" (allowed: stack, address, reason)');
    expect(error({ acknowledged: [{ stack: 'a', address: 7, reason: 'c' }] })).toBe('acks.json: acknowledged[0].address: required, a non-empty string (got a number)');
  });

  it('rejects a file of another shape', () => {
    expect(error({ acknowledgements: [] })).toBe('acks.json: unknown key "acknowledgements" (allowed: acknowledged)');
    expect(error({})).toBe('acks.json: "acknowledged" must be an array of { stack, address, reason }, got nothing');
    expect(() => parseAcknowledgements('{', 'acks.json')).toThrow(/^acks\.json: not JSON/);
  });
});
