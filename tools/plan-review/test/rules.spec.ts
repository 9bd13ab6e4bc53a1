import { parsePlan } from '@crdb-ory/core/terraform';
import { describe, expect, it } from 'vitest';
import {
  BUCKET_REPLACED,
  CRDB_NODE_REPLACED,
  CRDB_NODE_STOP_START,
  CRDB_NODES_TOUCHED,
  CRDB_VOLUME_REPLACED,
  DANGEROUS_ACTION_RULES,
  type DangerousActionRule,
  EKS_CLUSTER_REPLACED,
  KMS_KEY_REPLACED,
  PKI_REPLACED,
  reviewedChanges,
} from '../src';
import {
  type ChangeSpec,
  NODE_1_ATTACHMENT,
  NODE_1_INSTANCE,
  NODE_1_SETTINGS,
  NODE_1_VOLUME,
  NODE_2_INSTANCE,
  NODE_2_RUNNING_SETTINGS,
  NODE_2_VOLUME,
  NODE_3_TARGET,
  created,
  destroyed,
  planJson,
  replaced,
  unchanged,
  updated,
} from './plan-fixture';

/** The findings of one rule on a plan made of `changes`, as `<addresses>: <summary>`. */
function check(rule: DangerousActionRule, changes: readonly ChangeSpec[], stack = 'cockroach'): string[] {
  return rule.check(stack, reviewedChanges(parsePlan(planJson(changes), `${stack}.plan.json`))).map((f) => {
    expect(f.ruleId).toBe(rule.id);
    expect(f.stack).toBe(stack);
    return `${f.addresses.join(' ')}: ${f.summary}`;
  });
}

describe('the rule pack', () => {
  it('has each rule once, with an id, a title and a description', () => {
    expect(new Set(DANGEROUS_ACTION_RULES.map((rule) => rule.id)).size).toBe(8);
    for (const rule of DANGEROUS_ACTION_RULES) {
      expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)+$/);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.description.length).toBeGreaterThan(40);
    }
  });
});

describe('crdb-node-replaced', () => {
  it('flags a replaced node with the attributes forcing it, and a destroyed one', () => {
    expect(check(CRDB_NODE_REPLACED, [replaced(NODE_1_INSTANCE, [['user_data_base64']]), destroyed(NODE_2_INSTANCE)])).toEqual([
      `${NODE_1_INSTANCE}: ${NODE_1_INSTANCE} will be replaced (forced by user_data_base64; replace_because_cannot_update)`,
      `${NODE_2_INSTANCE}: ${NODE_2_INSTANCE} will be destroyed`,
    ]);
  });

  it('flags a create_before_destroy replacement and a replacement by triggers', () => {
    expect(check(CRDB_NODE_REPLACED, [{ address: NODE_1_INSTANCE, actions: ['create', 'delete'], actionReason: 'replace_by_triggers' }])).toEqual([
      `${NODE_1_INSTANCE}: ${NODE_1_INSTANCE} will be replaced (replace_by_triggers)`,
    ]);
  });

  it('leaves created, updated and unchanged nodes and other resource types alone', () => {
    expect(check(CRDB_NODE_REPLACED, [created(NODE_1_INSTANCE), updated(NODE_2_INSTANCE), unchanged('aws_instance.node-3_instance_AAAA1111'), replaced('aws_launch_template.lt')])).toEqual([]);
  });
});

describe('crdb-volume-replaced', () => {
  it('flags replaced or destroyed data volumes and attachments', () => {
    expect(check(CRDB_VOLUME_REPLACED, [replaced(NODE_2_VOLUME, [['size']]), destroyed(NODE_1_ATTACHMENT), updated(NODE_1_VOLUME)])).toEqual([
      `${NODE_2_VOLUME}: ${NODE_2_VOLUME} will be replaced (forced by size; replace_because_cannot_update)`,
      `${NODE_1_ATTACHMENT}: ${NODE_1_ATTACHMENT} will be destroyed`,
    ]);
  });
});

describe('crdb-node-stop-start', () => {
  it('flags an update of the instance type or the user data, naming the attributes only', () => {
    const change = updated(NODE_1_INSTANCE, { instance_type: 'm6i.large', user_data_base64: 'b2xk', tags: { a: '1' } }, { instance_type: 'm6i.xlarge', user_data_base64: 'bmV3', tags: { a: '2' } });
    expect(check(CRDB_NODE_STOP_START, [change])).toEqual([`${NODE_1_INSTANCE}: ${NODE_1_INSTANCE} will be stopped and started to update instance_type, user_data_base64`]);
  });

  it('flags a capacity reservation change and an attribute only known after apply', () => {
    const reservation = updated(NODE_1_INSTANCE, { capacity_reservation_specification: [{ capacity_reservation_preference: 'open' }] }, { capacity_reservation_specification: [{ capacity_reservation_preference: 'none' }] });
    const unknownUserData: ChangeSpec = { address: NODE_2_INSTANCE, actions: ['update'], before: { user_data: 'abc' }, after: { tags: {} }, afterUnknown: { user_data: true } };
    expect(check(CRDB_NODE_STOP_START, [reservation, unknownUserData])).toEqual([
      `${NODE_1_INSTANCE}: ${NODE_1_INSTANCE} will be stopped and started to update capacity_reservation_specification`,
      `${NODE_2_INSTANCE}: ${NODE_2_INSTANCE} will be stopped and started to update user_data`,
    ]);
  });

  it('leaves updates the provider applies to a running instance alone (tags, monitoring, root volume size)', () => {
    const running = updated(
      NODE_1_INSTANCE,
      { instance_type: 'm6i.large', monitoring: false, root_block_device: [{ volume_size: 20 }], tags: { a: '1' } },
      { instance_type: 'm6i.large', monitoring: true, root_block_device: [{ volume_size: 40 }], tags: { a: '2' } },
    );
    expect(check(CRDB_NODE_STOP_START, [running, replaced(NODE_2_INSTANCE, [['instance_type']])])).toEqual([]);
  });
});

describe('pki-replaced', () => {
  it('flags the CA, keys, certificates, requests and certificate secrets replaced or destroyed', () => {
    const certificates = ['tls_private_key.ca-key_1A2B', 'tls_self_signed_cert.ca_3C4D', 'tls_locally_signed_cert.node-1-cert_5E6F', 'tls_cert_request.node-1-csr_7A8B'];
    const secret = 'aws_secretsmanager_secret.node-1-secret_9C0D';
    expect(check(PKI_REPLACED, [...certificates.map((a) => replaced(a)), destroyed(secret)], 'cockroach-pki').map((line) => line.split(':')[0])).toEqual([...certificates, secret]);
  });

  it('leaves a new certificate secret version alone', () => {
    expect(check(PKI_REPLACED, [replaced('aws_secretsmanager_secret_version.node-1-secret-version_1111'), updated('aws_secretsmanager_secret.node-1-secret_9C0D')])).toEqual([]);
  });
});

describe('bucket-replaced', () => {
  it('flags the state bucket and the backup bucket, and no bucket setting', () => {
    expect(check(BUCKET_REPLACED, [destroyed('aws_s3_bucket.state-bucket_828F7150'), replaced('aws_s3_bucket_versioning.state-bucket-versioning_1234')], 'state')).toEqual([
      'aws_s3_bucket.state-bucket_828F7150: aws_s3_bucket.state-bucket_828F7150 will be destroyed',
    ]);
    expect(check(BUCKET_REPLACED, [replaced('aws_s3_bucket.backups_bucket_5DB31D01', [['bucket']])], 'cockroach-backup')).toHaveLength(1);
  });
});

describe('kms-key-replaced and eks-cluster-replaced', () => {
  it('flag their resource type only', () => {
    expect(check(KMS_KEY_REPLACED, [destroyed('aws_kms_key.key_AB12'), destroyed('aws_kms_alias.alias_CD34')])).toEqual(['aws_kms_key.key_AB12: aws_kms_key.key_AB12 will be destroyed']);
    expect(check(EKS_CLUSTER_REPLACED, [replaced('aws_eks_cluster.cluster_EF56', [['vpc_config', 0, 'subnet_ids']]), replaced('aws_eks_node_group.nodes_7788')], 'eks')).toEqual([
      'aws_eks_cluster.cluster_EF56: aws_eks_cluster.cluster_EF56 will be replaced (forced by vpc_config[0].subnet_ids; replace_because_cannot_update)',
    ]);
  });
});

describe('crdb-nodes-touched', () => {
  it('flags two or more nodes changed in one apply, listing every touched node-scoped address', () => {
    expect(check(CRDB_NODES_TOUCHED, [updated(NODE_1_INSTANCE), replaced(NODE_2_VOLUME), destroyed(NODE_3_TARGET), updated(NODE_1_SETTINGS)])).toEqual([
      `${NODE_2_VOLUME} ${NODE_1_INSTANCE} ${NODE_3_TARGET}: 3 nodes are changed in one apply (node 1: ${NODE_1_INSTANCE}; node 2: ${NODE_2_VOLUME}; node 3: ${NODE_3_TARGET})`,
    ]);
  });

  it('does not count one node changed in several resources', () => {
    expect(check(CRDB_NODES_TOUCHED, [replaced(NODE_1_INSTANCE), replaced(NODE_1_VOLUME), destroyed(NODE_1_ATTACHMENT)])).toEqual([]);
  });

  it('does not count a first deploy creating every node', () => {
    expect(check(CRDB_NODES_TOUCHED, [created(NODE_1_INSTANCE), created(NODE_2_INSTANCE), created(NODE_3_TARGET)])).toEqual([]);
  });

  it('does not count the settings records, updated in place by design', () => {
    expect(check(CRDB_NODES_TOUCHED, [updated(NODE_1_INSTANCE), updated(NODE_1_SETTINGS), updated(NODE_2_RUNNING_SETTINGS), unchanged(NODE_2_INSTANCE)])).toEqual([]);
  });
});
