import { assert, describe, expect, it } from 'vitest';
import { AL2023_AMI_PARAMETER, BOOTSTRAP_PENDING_VALUE, DEFAULT_COCKROACH_SHA256, DEFAULT_COCKROACH_VERSION, HEALTH_CHECK_PATH, NAME_PREFIX_MAX_LENGTH, NO_LICENSE_WARNING, SSM_AGENT_ACTIONS, nodeRolloutAddresses } from '../src';
import { COCKROACH_OUTPUTS, terraformOutputNames } from './contract';
import { Template } from '@crdb-ory/core/testing';
import { Json, buildCluster, everyRolePolicyStatement, policyNamed, synthCluster } from './synth';

const json = synthCluster();
const NETWORK = 'data.terraform_remote_state.remote-state-network.outputs';
/** What the PKI publishes, as the stack reads it: the JSON in its SSM parameter, never its state. */
const pki = (output: string): string => `jsondecode(data.aws_ssm_parameter.published-cockroach-pki-${output}.insecure_value)`;
const NODE_SG = `\${${Template.fromJSON(json).only('aws_security_group', 'security-groups_nodes_').address}.id}`;
const LB_SG = `\${${Template.fromJSON(json).only('aws_security_group', 'security-groups_load-balancer_').address}.id}`;
const LICENSE_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/license-AbCdEf';

const instance = (n: number): Json => Template.fromJSON(json).only('aws_instance', `node-${n}_instance_`).config;
/** The node's user data: a local the instance and its settings record both read. */
const userDataOf = (j: Json, n: number): string => {
  const name = Object.keys(j.locals).find((key) => key.startsWith(`node-${n}_user-data_`)) ?? 'missing';
  // Gzipped on the instance (cloud-init inflates it); the local holds the script itself.
  expect(Template.fromJSON(j).only('aws_instance', `node-${n}_instance_`).config.user_data_base64).toBe(`\${base64gzip(local.${name})}`);
  return j.locals[name];
};
const userData = (n: number): string => userDataOf(json, n);
const nodeIp = (i: number): string => `\${cidrhost(element(${NETWORK}.cockroach_private_subnet_cidrs, ${i}), 10)}`;
const ingress = (j: Json): Json[] => Template.fromJSON(j).all('aws_vpc_security_group_ingress_rule');

describe('cockroach stack: nodes', () => {
  it('reads the network and the backup bucket outputs through remote state, the PKI\'s through the SSM parameters it publishes (never its state), and uses only the aws provider', () => {
    expect(Object.keys(json.data.terraform_remote_state).sort()).toEqual(['remote-state-cockroach-backup', 'remote-state-network']);
    expect(Object.keys(synthCluster({ backupSchedule: false }).data.terraform_remote_state).sort()).toEqual(['remote-state-network']);
    const published = Object.values<Json>(json.data.aws_ssm_parameter).map((p) => p.name).filter((name) => name.startsWith('/crdb-ory/'));
    expect(published.sort()).toEqual(['ca_certificate_pem', 'hydra_client_secret_arn', 'keto_client_secret_arn', 'kms_key_arn', 'kratos_client_secret_arn', 'node_secret_arns', 'root_client_secret_arn', 'verifier_client_secret_arn'].map((o) => `/crdb-ory/cockroach-pki/${o}`));
    expect(Object.values<Json>(synthCluster({ namePrefix: 'staging' }).data.aws_ssm_parameter).map((p) => p.name)).toContain('/staging/cockroach-pki/node_secret_arns');
    expect(Object.keys(json.provider)).toEqual(['aws']);
  });

  it.each([1, 2, 3])('node %i: own subnet/AZ, fixed private IP, IMDSv2 only, no SSH key, encrypted root volume', (n) => {
    const node = instance(n);
    expect(node.subnet_id).toBe(`\${element(${NETWORK}.cockroach_private_subnet_ids, ${n - 1})}`);
    expect(node.private_ip).toBe(nodeIp(n - 1));
    expect(node.metadata_options).toMatchObject({ http_tokens: 'required', http_endpoint: 'enabled', http_put_response_hop_limit: 1 });
    expect(node.key_name).toBeUndefined();
    expect(node.associate_public_ip_address).toBeUndefined();
    expect(node.root_block_device).toMatchObject({ encrypted: true, volume_type: 'gp3' });
    expect(node.vpc_security_group_ids).toEqual([NODE_SG]);
    expect(node.iam_instance_profile).toBe(`\${${Template.fromJSON(json).only('aws_iam_instance_profile', `node-${n}-role_profile_`).address}.name}`);
  });

  it('runs Amazon Linux 2023 from the SSM parameter', () => {
    expect(Template.fromJSON(json).onlyDataSource('aws_ssm_parameter', 'al2023-ami').config.name).toBe(AL2023_AMI_PARAMETER);
    for (const n of [1, 2, 3]) expect(instance(n).ami).toMatch(/^\$\{data\.aws_ssm_parameter\.al2023-ami\.insecure_value\}$/);
  });

  it('creates each instance after its role policies and its IP reservation, not only after the instance profile', () => {
    for (const n of [1, 2, 3]) {
      expect(instance(n).depends_on).toEqual(
        expect.arrayContaining([
          Template.fromJSON(json).only('aws_iam_role_policy', `node-${n}-role_secrets-policy_`).address,
          Template.fromJSON(json).only('aws_iam_role_policy', `node-${n}-role_ssm-agent-policy_`).address,
          Template.fromJSON(json).only('aws_ec2_subnet_cidr_reservation', `node-ips_node-${n}_`).address,
        ]),
      );
    }
  });

  it('defaults to a production instance type and rejects burstable, small, arm and unknown ones', () => {
    expect(instance(1).instance_type).toBe('m6i.2xlarge');
    expect(instance(1).ebs_optimized).toBe(true);
    expect(() => synthCluster({ instanceType: 't3.2xlarge' })).toThrow(/"t3.2xlarge": burstable types are not allowed/);
    expect(() => synthCluster({ instanceType: 'm6i.large' })).toThrow(/"m6i.large": CockroachDB needs at least 4 vCPU/);
    expect(() => synthCluster({ instanceType: 'm7g.2xlarge' })).toThrow(/Graviton/);
    expect(() => synthCluster({ instanceType: 'r6i.4xlarge' })).not.toThrow();
  });

  it.each(['m4.2xlarge', 'c4.4xlarge', 'r4.2xlarge', 'i3.2xlarge', 'x1.16xlarge', 'm3.2xlarge'])('rejects the Xen type %s: its EBS volumes are not NVMe devices, so the boot would never find the data volume', (type) => {
    expect(() => synthCluster({ instanceType: type })).toThrow(new RegExp(`"${type.replace('.', '\\.')}": .*(Xen hypervisor, where EBS volumes are not NVMe devices|c family)`));
  });

  it.each(['c5.2xlarge', 'c6i.4xlarge', 'c7i.8xlarge'])('rejects %s: the c family has 2 GiB per vCPU, below the 4 GiB CockroachDB needs', (type) => {
    expect(() => synthCluster({ instanceType: type })).toThrow(/the c family has 2 GiB of RAM per vCPU; CockroachDB needs at least 4 GiB per vCPU/);
  });

  it.each(['m5.xlarge', 'm6a.2xlarge', 'm7i.4xlarge', 'r5b.2xlarge', 'r7i.2xlarge', 'i3en.2xlarge', 'i4i.2xlarge', 'x2idn.16xlarge', 'z1d.2xlarge'])('accepts the Nitro type %s', (type) => {
    expect(() => synthCluster({ instanceType: type })).not.toThrow();
  });

  it.each([1, 2, 3])('node %i: separate encrypted gp3 data volume with provisioned IOPS/throughput in its AZ, attached', (n) => {
    const volume = Template.fromJSON(json).only('aws_ebs_volume', `node-${n}_data_`).config;
    expect(volume).toMatchObject({ type: 'gp3', encrypted: true, size: 500, iops: 6000, throughput: 250, final_snapshot: true });
    expect(volume.availability_zone).toBe(`\${element(${NETWORK}.availability_zones, ${n - 1})}`);
    const attachment = Template.fromJSON(json).only('aws_volume_attachment', `node-${n}_data-attachment_`).config;
    expect(attachment.volume_id).toBe(`\${${Template.fromJSON(json).only('aws_ebs_volume', `node-${n}_data_`).address}.id}`);
    expect(attachment.instance_id).toBe(`\${${Template.fromJSON(json).only('aws_instance', `node-${n}_instance_`).address}.id}`);
  });

  it('validates the data volume against gp3 limits', () => {
    expect(synthCluster({ dataVolumeSizeGiB: 1000, dataVolumeIops: 12000, dataVolumeThroughputMiBps: 500 }).resource.aws_ebs_volume['node-1_data_75090459']).toMatchObject({ iops: 12000, throughput: 500 });
    expect(() => synthCluster({ dataVolumeIops: 2000 })).toThrow(/dataVolumeIops = 2000: allowed 3000-16000/);
    expect(() => synthCluster({ dataVolumeThroughputMiBps: 2000 })).toThrow(/dataVolumeThroughputMiBps = 2000: allowed 125-1000/);
  });

  it.each([1, 2, 3])('node %i user data carries its IP, AZ, all three join addresses, its own secret and volume', (n) => {
    const text = userData(n);
    expect(text).toContain(`NODE_IP='${nodeIp(n - 1)}'`);
    expect(text).toContain(`JOIN_ADDRESSES='${[0, 1, 2].map((i) => `${nodeIp(i)}:26257`).join(',')}'`);
    expect(text).toContain(`LOCALITY_ZONE='\${element(${NETWORK}.availability_zones, ${n - 1})}'`);
    expect(text).toContain(`NODE_SECRET_ARN='\${element(${pki('node_secret_arns')}, ${n - 1})}'`);
    expect(text).toContain(`DATA_VOLUME_ID='\${${Template.fromJSON(json).only('aws_ebs_volume', `node-${n}_data_`).address}.id}'`);
    expect(text).toContain(`COCKROACH_SHA256='${DEFAULT_COCKROACH_SHA256}'`);
    expect(text).toContain(`RUN_BOOTSTRAP='${n === 1 ? 1 : 0}'`);
    // Every shell `${` is escaped, so Terraform interpolates only the node.env values.
    const unescaped = text.match(/(?<!\$)\$\{[^}]*\}/g) ?? [];
    expect(unescaped.every((expr) => /^\$\{(cidrhost|element|aws_ebs_volume|data\.terraform_remote_state|jsondecode\(data\.aws_ssm_parameter\.published-cockroach-pki-)/.test(expr))).toBe(true);
  });

  it('bootstraps from node 1 only', () => {
    const writesBootstrap = (n: number): boolean => userData(n).includes('cat >"$ROOT/usr/local/lib/cockroach/bootstrap.sh"');
    expect(writesBootstrap(1)).toBe(true);
    expect(userData(1)).toContain('CREATE DATABASE IF NOT EXISTS hydra;');
    for (const n of [2, 3]) {
      expect(writesBootstrap(n)).toBe(false);
      expect(userData(n)).not.toContain('CREATE DATABASE');
      expect(userData(n)).not.toContain('CREATE SCHEDULE');
    }
  });

  it.each([1, 2, 3])('node %i keeps root\'s client certificate for admin commands, and publishes its metrics as its node', (n) => {
    expect(userData(n)).toContain(`ROOT_CLIENT_SECRET_ARN='\${${pki('root_client_secret_arn')}}'`);
    expect(userData(n)).toContain("CLUSTER_NAME='crdb-ory'");
    expect(userData(n)).toContain("METRICS_NAMESPACE='CrdbOry/CockroachDB'");
  });
});

describe('cockroach stack: IAM', () => {
  const secretsStatement = (j: Json, n: number): Json[] => policyNamed(j, 'aws_iam_role_policy', `node-${n}-role_secrets-policy_`);

  it.each([1, 2, 3])('node %i may read only its own node secret and root\'s client certificate', (n) => {
    const [read, decrypt] = secretsStatement(json, n);
    expect(read.Action).toEqual(['secretsmanager:GetSecretValue']);
    expect(read.Resource).toEqual([`\${element(${pki('node_secret_arns')}, ${n - 1})}`, `\${${pki('root_client_secret_arn')}}`]);
    expect(decrypt.Action).toEqual(['kms:Decrypt']);
  });

  it('node 1 also reads the license secret when configured', () => {
    const licensed = synthCluster({ licenseSecretArn: LICENSE_ARN });
    expect(secretsStatement(licensed, 1)[0].Resource).toContain(LICENSE_ARN);
    expect(secretsStatement(licensed, 2)[0].Resource).not.toContain(LICENSE_ARN);
  });

  it('decrypts with the PKI key only through Secrets Manager', () => {
    for (const n of [1, 2, 3]) {
      const decrypt = secretsStatement(json, n)[1];
      expect(decrypt.Resource).toEqual([`\${${pki('kms_key_arn')}}`]);
      expect(decrypt.Condition).toEqual({ StringEquals: { 'kms:ViaService': ['secretsmanager.us-east-1.amazonaws.com'] } });
    }
  });

  it('gives the SSM agent what it needs and nothing more: no AWS managed policy, no parameter read but the certificates Ory presents, output and sessions to the operations log', () => {
    expect(Template.fromJSON(json).findResources('aws_iam_role_policy_attachment')).toEqual({});
    const log = `\${${Template.fromJSON(json).only('aws_cloudwatch_log_group', 'operations_log_').address}.arn}`;
    const key = `\${${Template.fromJSON(json).only('aws_kms_key', 'operations_key_').address}.arn}`;
    for (const n of [1, 2, 3]) {
      const statements = policyNamed(json, 'aws_iam_role_policy', `node-${n}-role_ssm-agent-policy_`);
      expect(statements.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
        ['SsmAgent', [...SSM_AGENT_ACTIONS], ['*']],
        ['WriteTheOperationsLog', ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], [log, `${log}:log-stream:*`]],
        ['CheckTheOperationsLogIsEncrypted', ['logs:DescribeLogGroups'], ['*']],
        ['DecryptSessionData', ['kms:Decrypt'], [key]],
      ]);
    }
    // The one parameter read a node has: the certificates Ory presents, under their own path (issue 20), never `*`.
    const everyStatement = everyRolePolicyStatement(json);
    const parameterReads = everyStatement.filter((s) => ([s.Action].flat() as string[]).some((a) => /^ssm:(GetParameter|\*)|^\*$/.test(a)));
    expect(parameterReads.map((s) => [s.Sid, s.Action])).toEqual([1, 2, 3].map(() => ['ReadTheCertificatesOryPresents', ['ssm:GetParametersByPath']]));
    for (const statement of parameterReads) {
      expect(statement.Resource).toHaveLength(1);
      expect((statement.Resource as string[])[0]).toMatch(/^arn:aws:ssm:us-east-1:\$\{[^}]+\}:parameter\/crdb-ory\/ory\/presented-certificates$/);
    }
  });
});

describe('cockroach stack: security groups', () => {
  const rules = ingress(json).map((r) => ({ sg: r.security_group_id, port: r.from_port, to: r.to_port, cidr: r.cidr_ipv4, source: r.referenced_security_group_id }));

  it('allows 26257 to nodes only from the other nodes and the load balancer security group: nothing bypasses the NLB', () => {
    const sql = rules.filter((r) => r.sg === NODE_SG && r.port === 26257);
    expect(sql.map((r) => r.source).sort()).toEqual([NODE_SG, LB_SG].sort());
    expect(sql.every((r) => r.cidr === undefined)).toBe(true);
  });

  it('allows 8080 to nodes only from the load balancer security group (health checks) and the declared admin CIDRs', () => {
    const http = rules.filter((r) => r.sg === NODE_SG && r.port === 8080);
    expect(http).toEqual([{ sg: NODE_SG, port: 8080, to: 8080, cidr: undefined, source: LB_SG }]);
    const withAdmin = ingress(synthCluster({ adminCidrs: ['192.168.10.0/24'] })).filter((r) => r.from_port === 8080);
    expect(withAdmin.map((r) => r.cidr_ipv4 ?? 'sg')).toEqual(['sg', '192.168.10.0/24']);
    expect(() => synthCluster({ adminCidrs: ['0.0.0.0/0'] })).toThrow(/adminCidrs\[0\] = "0.0.0.0\/0": the DB Console is never open to the internet/);
  });

  it('lets SQL clients reach the load balancer from the Ory VPC only, and the load balancer reach the nodes on 26257 and 8080', () => {
    expect(rules.filter((r) => r.sg === LB_SG).map((r) => `${r.port} ${r.cidr}`)).toEqual([`26257 \${${NETWORK}.ory_vpc_cidr}`]);
    const egress = Template.fromJSON(json).all('aws_vpc_security_group_egress_rule').filter((r) => r.security_group_id === LB_SG);
    expect(egress.map((r) => `${r.from_port} ${r.referenced_security_group_id}`).sort()).toEqual([`26257 ${NODE_SG}`, `8080 ${NODE_SG}`]);
  });

  it('opens no other port, nothing from the internet, and describes every rule', () => {
    for (const r of ingress(json)) {
      expect(r.from_port).toBe(r.to_port);
      expect([26257, 8080]).toContain(r.from_port);
      expect(r.cidr_ipv4).not.toBe('0.0.0.0/0');
      expect(r.description).toMatch(/\w/);
    }
  });
});

describe('cockroach stack: fixed node IPs', () => {
  it.each([1, 2, 3])('reserves node %i IP in its subnet (explicit /32), so AWS never gives it to another interface', (n) => {
    expect(Template.fromJSON(json).only('aws_ec2_subnet_cidr_reservation', `node-ips_node-${n}_`).config).toMatchObject({
      reservation_type: 'explicit',
      cidr_block: `${nodeIp(n - 1)}/32`,
      subnet_id: `\${element(${NETWORK}.cockroach_private_subnet_ids, ${n - 1})}`,
    });
  });

  it('creates the load balancer (whose interfaces take IPs in the same subnets) only after the reservations', () => {
    const reservations = Template.fromJSON(json).all('aws_ec2_subnet_cidr_reservation').length;
    expect(reservations).toBe(3);
    expect(Template.fromJSON(json).only('aws_lb', 'sql-load-balancer_nlb_').config.depends_on).toEqual([1, 2, 3].map((n) => Template.fromJSON(json).only('aws_ec2_subnet_cidr_reservation', `node-ips_node-${n}_`).address));
  });
});

describe('cockroach stack: one node at a time', () => {
  const addresses = nodeRolloutAddresses(json);
  const settingsOf = (address: string): Json => Template.fromJSON(json).resourceAt(address).config;

  it('a plain apply never stops, restarts or replaces a running node for its settings', () => {
    expect(addresses.map((n) => n.node)).toEqual([1, 2, 3]);
    for (const n of [1, 2, 3]) {
      expect(instance(n).lifecycle.ignore_changes).toEqual(['ami', 'user_data', 'user_data_base64', 'instance_type']);
      expect(instance(n).user_data_replace_on_change).toBe(true);
      expect(instance(n).instance_type).toBe('m6i.2xlarge');
    }
  });

  it('keeps the wanted settings of each node in a record a plain apply updates in place, with a hash of the user data', () => {
    for (const node of addresses) {
      const settings = settingsOf(node.settings);
      expect(settings.input).toEqual({
        ami_id: instance(node.node).ami,
        cockroach_version: DEFAULT_COCKROACH_VERSION,
        cockroach_sha256: DEFAULT_COCKROACH_SHA256,
        cache: '.25',
        max_sql_memory: '.25',
        instance_type: 'm6i.2xlarge',
        user_data_sha256: instance(node.node).user_data_base64.replace(/^\$\{base64gzip\((.*)\)\}$/, '${sha256($1)}'),
      });
      expect(settings.lifecycle).toBeUndefined();
      expect(settings.triggers_replace).toBeUndefined();
    }
  });

  it('records what each instance booted with: replaced with the instance, never updated', () => {
    for (const node of addresses) {
      const running = settingsOf(node.runningSettings);
      expect(running.input).toEqual(settingsOf(node.settings).input);
      expect(running.triggers_replace).toEqual({ instance_id: `\${${node.instance}.id}` });
      expect(running.lifecycle).toEqual({ ignore_changes: ['input'] });
    }
  });

  it('publishes which nodes still run old settings, and the instance ids', () => {
    expect(json.output.nodes_pending_replacement.value).toBe(
      `\${compact([${addresses.map((n) => `(${n.settings}.output != ${n.runningSettings}.output) ? "node-${n.node}" : ""`).join(', ')}])}`,
    );
    expect(json.output.node_instance_ids.value).toEqual(addresses.map((n) => `\${${n.instance}.id}`));
  });

  it('records the AMI the Amazon Linux 2023 parameter resolves to in each node\'s wanted settings: a newer image is a pending roll, never a change to a running instance', () => {
    for (const node of addresses) {
      expect(settingsOf(node.settings).input.ami_id).toBe('${data.aws_ssm_parameter.al2023-ami.insecure_value}');
      expect(settingsOf(node.runningSettings).input.ami_id).toBe('${data.aws_ssm_parameter.al2023-ami.insecure_value}');
      expect(instance(node.node).lifecycle.ignore_changes).toContain('ami');
    }
    const [node1] = addresses;
    assert.exists(node1, 'the rollout addresses of node 1');
    expect(json.output.nodes_pending_replacement.value).toContain(`${node1.settings}.output != ${node1.runningSettings}.output`);
  });

  it('a change of version, checksum or instance type reaches the settings records, never a running instance', () => {
    const changed = synthCluster({ cockroachVersion: 'v25.4.1', cockroachSha256: 'b'.repeat(64), instanceType: 'm6i.4xlarge' });
    for (const node of nodeRolloutAddresses(changed)) {
      expect(Template.fromJSON(changed).resourceAt(node.settings).config.input).toMatchObject({ cockroach_version: 'v25.4.1', instance_type: 'm6i.4xlarge' });
      expect(Template.fromJSON(changed).resourceAt(node.instance).config.lifecycle.ignore_changes).toEqual(['ami', 'user_data', 'user_data_base64', 'instance_type']);
    }
  });

  it('keeps the data volume a separate resource that re-attaches to a replacement instance', () => {
    for (const node of addresses) {
      const attachment = Template.fromJSON(json).resourceAt(node.dataVolumeAttachment).config;
      expect(attachment).toMatchObject({ volume_id: `\${${node.dataVolume}.id}`, instance_id: `\${${node.instance}.id}`, stop_instance_before_detaching: true });
      expect(Template.fromJSON(json).resourceAt(node.dataVolume).config.lifecycle).toBeUndefined();
    }
  });
});

describe('cockroach stack: SQL load balancer', () => {
  it('is an internal NLB across the three private subnets with cross-zone load balancing and a security group', () => {
    expect(Template.fromJSON(json).only('aws_lb', 'sql-load-balancer_nlb_').config).toMatchObject({
      internal: true,
      load_balancer_type: 'network',
      enable_cross_zone_load_balancing: true,
      subnets: `\${${NETWORK}.cockroach_private_subnet_ids}`,
      security_groups: [LB_SG],
      enable_deletion_protection: true,
    });
    expect(Template.fromJSON(synthCluster({ loadBalancerDeletionProtection: false })).only('aws_lb', 'sql-load-balancer_nlb_').config.enable_deletion_protection).toBe(false);
  });

  it('forwards TCP 26257 to the three nodes, health-checks HTTP 8080 /health?ready=1, drains for 120 s', () => {
    const group = Template.fromJSON(json).only('aws_lb_target_group', 'sql-load-balancer_nodes_').config;
    expect(group).toMatchObject({ port: 26257, protocol: 'TCP', target_type: 'instance', deregistration_delay: '120' });
    expect(group.health_check).toMatchObject({ protocol: 'HTTP', port: '8080', path: HEALTH_CHECK_PATH, matcher: '200' });
    expect(HEALTH_CHECK_PATH).toBe('/health?ready=1');
    expect(Template.fromJSON(json).only('aws_lb_listener', 'sql-load-balancer_sql_').config).toMatchObject({ port: 26257, protocol: 'TCP' });
    expect(Template.fromJSON(json).all('aws_lb_target_group_attachment').map((a) => a.port)).toEqual([26257, 26257, 26257]);
  });

  it('keeps a draining node\'s connections (it resets them at once by default) until its drain\'s connection phase is over', () => {
    const group = Template.fromJSON(json).only('aws_lb_target_group', 'sql-load-balancer_nodes_').config;
    expect(group.target_health_state).toEqual([{ enable_unhealthy_connection_termination: false, unhealthy_draining_interval: 30 + 330 }]);
    const longer = Template.fromJSON(synthCluster({ drain: { connectionsTimeoutSeconds: 600 } })).only('aws_lb_target_group', 'sql-load-balancer_nodes_').config;
    expect(longer.target_health_state[0].unhealthy_draining_interval).toBe(630);
  });

  it('has the alias sql.<zone> in the private zone (the name in the certificates) and node-N records', () => {
    const alias = Template.fromJSON(json).only('aws_route53_record', 'sql-load-balancer_alias_').config;
    expect(alias.name).toBe(`sql.\${${NETWORK}.private_zone_name}`);
    expect(alias.zone_id).toBe(`\${${NETWORK}.private_zone_id}`);
    expect(alias.alias.name).toBe(`\${${Template.fromJSON(json).only('aws_lb', 'sql-load-balancer_nlb_').address}.dns_name}`);
    expect(Template.fromJSON(json).only('aws_route53_record', 'node-2_dns_').config).toMatchObject({ name: `node-2.\${${NETWORK}.private_zone_name}`, records: [nodeIp(1)] });
  });
});

describe('cockroach stack: license, outputs, secrets', () => {
  it('warns at synth when no license secret is configured, and not when one is', () => {
    const warnings = (props = {}): string[] => {
      const { stack } = buildCluster(props);
      return stack.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    };
    expect(warnings()).toContain(NO_LICENSE_WARNING);
    expect(warnings({ licenseSecretArn: LICENSE_ARN })).not.toContain(NO_LICENSE_WARNING);
    expect(userDataOf(synthCluster({ licenseSecretArn: LICENSE_ARN }), 1)).toContain(`LICENSE_SECRET_ARN='${LICENSE_ARN}'`);
    expect(() => synthCluster({ licenseSecretArn: 'crl-0-abc' })).toThrow(/licenseSecretArn = "crl-0-abc": allowed is a Secrets Manager secret ARN/);
  });

  it('publishes exactly the cluster outputs contract', () => {
    expect(Object.keys(json.output).sort()).toEqual(terraformOutputNames(COCKROACH_OUTPUTS));
    expect(json.output.sql_host.value).toBe(`sql.\${${NETWORK}.private_zone_name}`);
    expect(json.output.sql_port.value).toBe(26257);
    expect(json.output.hydra_client_secret_arn.value).toBe(`\${${pki('hydra_client_secret_arn')}}`);
    expect(json.output.verifier_sql_user.value).toBe('verifier');
  });

  it('holds no private key, certificate or secret value: only secret ARNs', () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE|private_key_pem|"secret_string":|"tls_/);
    expect(Template.fromJSON(json).findResources('aws_secretsmanager_secret_version')).toEqual({});
  });

  it('rejects a name prefix too long for the load balancer names', () => {
    expect(NAME_PREFIX_MAX_LENGTH).toBe(22);
    expect(() => synthCluster({ namePrefix: 'a-very-long-name-prefix-x' })).toThrow(/namePrefix = "a-very-long-name-prefix-x": allowed are 3-22 characters of a-z, 0-9 and "-", starting with a letter and ending with a letter or digit/);
    for (const prefix of ['ab', 'crdb-', '1crdb', 'Crdb']) expect(() => synthCluster({ namePrefix: prefix }), prefix).toThrow(/namePrefix = ".*": allowed are/);
    expect(Template.fromJSON(synthCluster({ namePrefix: 'a'.repeat(22) })).only('aws_lb_target_group', 'sql-load-balancer_nodes_').config.name).toHaveLength(32);
    expect(Template.fromJSON(synthCluster({ namePrefix: 'acme' })).only('aws_lb_target_group', 'sql-load-balancer_nodes_').config.name).toBe('acme-sql-nodes');
  });

  it('creates the bootstrap status parameter as pending before node 1, lets node 1 alone overwrite it, and publishes its name', () => {
    const [statusParameter] = Object.entries(json.resource.aws_ssm_parameter as Record<string, any>);
    assert.exists(statusParameter, 'an aws_ssm_parameter');
    const [name, parameter] = statusParameter;
    expect(Object.keys(json.resource.aws_ssm_parameter)).toHaveLength(1);
    expect(parameter).toMatchObject({ name: '/crdb-ory/cockroach/bootstrap-status', type: 'String', value: BOOTSTRAP_PENDING_VALUE, lifecycle: { ignore_changes: ['value'] } });
    expect(instance(1).depends_on).toContain(`aws_ssm_parameter.${name}`);
    expect(instance(2).depends_on).not.toContain(`aws_ssm_parameter.${name}`);
    const writers = Template.fromJSON(json).all('aws_iam_role_policy').filter((policy) => String(policy.policy).includes('ssm:PutParameter'));
    expect(writers).toHaveLength(1);
    expect(JSON.parse(writers[0]?.policy).Statement).toEqual([{ Sid: 'PublishBootstrapCompletion', Effect: 'Allow', Action: ['ssm:PutParameter'], Resource: [`\${aws_ssm_parameter.${name}.arn}`] }]);
    expect(userData(1)).toContain(`BOOTSTRAP_STATUS_PARAMETER='/crdb-ory/cockroach/bootstrap-status'`);
    expect(json.output.bootstrap_status_parameter.value).toBe(`\${aws_ssm_parameter.${name}.name}`);
    expect(dataNamedParameterFor(synthCluster({ namePrefix: 'staging' }))).toBe('/staging/cockroach/bootstrap-status');
  });

  it('drains as configured: the bootstrap sets server.shutdown.*, every node\'s systemd stop waits for the whole drain', () => {
    const custom = synthCluster({ drain: { connectionsTimeoutSeconds: 600, initialWaitSeconds: 45 } });
    expect(userDataOf(custom, 1)).toContain("SET CLUSTER SETTING server.shutdown.connections.timeout = '600s';");
    expect(userDataOf(custom, 1)).toContain("SET CLUSTER SETTING server.shutdown.initial_wait = '45s';");
    // 45 + 600 + 2 x 10 + 5 = 670 s of drain, plus a minute.
    for (const n of [1, 2, 3]) expect(userDataOf(custom, n)).toContain("STOP_TIMEOUT_SECONDS='730'");
    expect(() => synthCluster({ drain: { initialWaitSeconds: 15 } })).toThrow(/drain.initialWaitSeconds = 15: must be whole seconds above 20/);
  });

  it('rejects a changed version without its checksum, and bad SQL user names, before synthesizing', () => {
    expect(() => synthCluster({ cockroachVersion: 'v25.4.9' })).toThrow(`cockroachSha256 = "${DEFAULT_COCKROACH_SHA256}": is the checksum of ${DEFAULT_COCKROACH_VERSION}, but cockroachVersion is v25.4.9`);
    expect(() => synthCluster({ cockroachSha256: 'abc' })).toThrow(/cockroachSha256 = "abc": allowed is 64 lowercase hex digits/);
    expect(() => synthCluster({ sqlUsers: { hydra: 'root', kratos: 'kratos', keto: 'keto', verifier: 'verifier' } })).toThrow(/sqlUsers.hydra = "root": is a name CockroachDB reserves/);
    expect(() => synthCluster({ sqlUsers: { hydra: 'Hydra-1', kratos: 'kratos', keto: 'keto', verifier: 'verifier' } })).toThrow(/sqlUsers.hydra = "Hydra-1": allowed/);
  });

  it('matches the all-defaults snapshot', () => {
    expect(json).toMatchSnapshot();
  });
});

function dataNamedParameterFor(stack: Json): string {
  return (Object.values(stack.resource.aws_ssm_parameter as Record<string, any>)[0] as { name: string }).name;
}
