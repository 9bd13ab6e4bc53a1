import { describeContract, remoteStateId } from '@crdb-ory/core';
import { Testing } from 'cdktf';
import { assert, describe, expect, it } from 'vitest';
import {
  EKS_NO_ADMIN_WARNING,
  EKS_NO_API_ACCESS_WARNING,
  EKS_OUTPUTS,
  EKS_STACK_NAME,
  EksStack,
  LOAD_BALANCER_CONTROLLER_IAM_POLICY,
  NO_API_ACCESS_MESSAGE,
} from '../src';
import { Template } from '@crdb-ory/core/testing';
import { BASE_PROPS, synthEks } from './synth';

const NETWORK = `data.terraform_remote_state.${remoteStateId('network')}.outputs`;
const ADMIN = 'arn:aws:iam::123456789012:role/PlatformAdmin';

function ref(type: string, name: string, attribute: string): string {
  return `\${${type}.${name}.${attribute}}`;
}

function trustPolicy(role: Record<string, any>): any {
  return JSON.parse(role.assume_role_policy);
}



function warningsOf(stack: EksStack): unknown[] {
  return stack.node.metadata.filter((m) => /warn/i.test(m.type)).map((m) => m.data);
}

function policiesOf(json: Record<string, any>, roleName: string): string[] {
  const role = Template.fromJSON(json).only('aws_iam_role', { name: roleName });
  return Template.fromJSON(json).all('aws_iam_role_policy_attachment')
    .filter((a) => a.role === ref('aws_iam_role', role.name, 'name'))
    .map((a) => a.policy_arn)
    .sort();
}

describe('eks stack with defaults', () => {
  const { json, stack } = synthEks();

  it('matches the all-defaults snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('creates cluster "ory" at Kubernetes 1.35 in the Ory private subnets', () => {
    const cluster = Template.fromJSON(json).only('aws_eks_cluster').config;
    expect(cluster.name).toBe('ory');
    expect(cluster.version).toBe('1.35');
    expect(cluster.vpc_config.subnet_ids).toBe(`\${${NETWORK}.ory_private_subnet_ids}`);
  });

  it('gives the cluster a role EKS assumes, with the cluster policy', () => {
    const role = Template.fromJSON(json).only('aws_iam_role', { name: 'crdb-ory-eks-cluster' });
    expect(trustPolicy(role.config).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
    ]);
    expect(policiesOf(json, 'crdb-ory-eks-cluster')).toEqual(['arn:aws:iam::aws:policy/AmazonEKSClusterPolicy']);
    expect(Template.fromJSON(json).only('aws_eks_cluster').config.role_arn).toBe(ref('aws_iam_role', role.name, 'arn'));
  });

  it('envelope-encrypts Secrets with a rotated KMS key of its own', () => {
    const key = Template.fromJSON(json).only('aws_kms_key');
    expect(key.config).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(Template.fromJSON(json).only('aws_eks_cluster').config.encryption_config).toEqual({
      resources: ['secrets'],
      provider: { key_arn: ref('aws_kms_key', key.name, 'arn') },
    });
    expect(Template.fromJSON(json).only('aws_kms_alias').config.name).toBe('alias/eks/ory-secrets');
  });

  it('lets the cluster role use that key, and only that key, before the cluster is created', () => {
    const key = Template.fromJSON(json).only('aws_kms_key').name;
    const role = Template.fromJSON(json).only('aws_iam_role', { name: 'crdb-ory-eks-cluster' }).name;
    const keyUse = Template.fromJSON(json).only('aws_iam_role_policy');
    expect(keyUse.config.role).toBe(ref('aws_iam_role', role, 'id'));
    expect(JSON.parse(keyUse.config.policy).Statement).toEqual([
      { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], Resource: ref('aws_kms_key', key, 'arn') },
    ]);
    expect(Template.fromJSON(json).only('aws_eks_cluster').config.depends_on).toContain(`aws_iam_role_policy.${keyUse.name}`);
  });

  it('sends api, audit and authenticator logs to a log group with a retention, created first', () => {
    const cluster = Template.fromJSON(json).only('aws_eks_cluster').config;
    const logGroup = Template.fromJSON(json).only('aws_cloudwatch_log_group');
    expect(cluster.enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator']);
    expect(logGroup.config).toMatchObject({ name: '/aws/eks/ory/cluster', retention_in_days: 365 });
    expect(cluster.depends_on).toContain(`aws_cloudwatch_log_group.${logGroup.name}`);
  });

  it('uses API authentication with no implicit cluster-creator admin', () => {
    expect(Template.fromJSON(json).only('aws_eks_cluster').config.access_config).toEqual({
      authentication_mode: 'API',
      bootstrap_cluster_creator_admin_permissions: false,
    });
  });

  it('makes the deploying identity cluster-admin through an explicit access entry, resolved at plan time', () => {
    const [caller] = Object.keys(json.data.aws_caller_identity);
    const [session] = Object.keys(json.data.aws_iam_session_context);
    expect(json.data.aws_iam_session_context[session].arn).toBe(`\${data.aws_caller_identity.${caller}.arn}`);
    const entry = Template.fromJSON(json).only('aws_eks_access_entry');
    const issuer = `\${data.aws_iam_session_context.${session}.issuer_arn}`;
    expect(entry.config).toMatchObject({ principal_arn: issuer, type: 'STANDARD', cluster_name: ref('aws_eks_cluster', Template.fromJSON(json).only('aws_eks_cluster').name, 'name') });
    expect(Template.fromJSON(json).only('aws_eks_access_policy_association').config).toMatchObject({
      principal_arn: ref('aws_eks_access_entry', entry.name, 'principal_arn'),
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    });
    expect(entry.config.lifecycle.precondition).toEqual([
      expect.objectContaining({ condition: `\${!contains([], data.aws_iam_session_context.${session}.issuer_arn)}` }),
    ]);
  });

  it('defaults to the STANDARD upgrade policy: no extended-support billing', () => {
    expect(Template.fromJSON(json).only('aws_eks_cluster').config.upgrade_policy).toEqual({ support_type: 'STANDARD' });
  });

  it('lets nobody reach the API by default: warns at synthesis and stops the plan at the cluster', () => {
    expect(warningsOf(stack)).toEqual([EKS_NO_API_ACCESS_WARNING]);
    expect(json.locals.kubernetes_api_access).toEqual({ endpoint_public_access_cidrs: [], endpoint_private_access_cidrs: [] });
    expect(Template.fromJSON(json).only('aws_eks_cluster').config.lifecycle.precondition[1]).toEqual({
      condition: '${((length(local.kubernetes_api_access.endpoint_public_access_cidrs) + length(local.kubernetes_api_access.endpoint_private_access_cidrs)) >= 1)}',
      error_message: NO_API_ACCESS_MESSAGE,
    });
    expect(NO_API_ACCESS_MESSAGE).toContain('eks.endpointPrivateAccessCidrs and eks.endpointPublicAccessCidrs');
  });

  it('gives the control plane an operator-access security group that admits nobody yet', () => {
    const group = Template.fromJSON(json).only('aws_security_group', { name: 'crdb-ory-eks-control-plane' });
    expect(group.config).toMatchObject({ vpc_id: `\${${NETWORK}.ory_vpc_id}` });
    expect(group.config.ingress).toBeUndefined();
    expect(Template.fromJSON(json).only('aws_eks_cluster').config.vpc_config.security_group_ids).toEqual([ref('aws_security_group', group.name, 'id')]);
    expect(json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
  });

  it('keeps the API endpoint private when no public CIDR is configured', () => {
    const vpcConfig = Template.fromJSON(json).only('aws_eks_cluster').config.vpc_config;
    expect(vpcConfig.endpoint_private_access).toBe(true);
    expect(vpcConfig.endpoint_public_access).toBe(false);
    expect(vpcConfig.public_access_cidrs).toBeUndefined();
  });

  it('refuses to plan when the network stack tagged the subnets for another cluster name', () => {
    const [precondition] = Template.fromJSON(json).only('aws_eks_cluster').config.lifecycle.precondition;
    expect(precondition.condition).toBe(`\${(${NETWORK}.eks_cluster_name == "ory")}`);
  });

  it('runs a managed AL2023 node group of m5.xlarge, 3 desired / 1 min / 4 max, over the three private subnets', () => {
    const group = Template.fromJSON(json).only('aws_eks_node_group').config;
    expect(group).toMatchObject({
      ami_type: 'AL2023_x86_64_STANDARD',
      capacity_type: 'ON_DEMAND',
      instance_types: ['m5.xlarge'],
      scaling_config: { desired_size: 3, min_size: 1, max_size: 4 },
      subnet_ids: `\${${NETWORK}.ory_private_subnet_ids}`,
      node_group_name: 'crdb-ory-eks-default',
    });
    expect(group.version).toBe(ref('aws_eks_cluster', Template.fromJSON(json).only('aws_eks_cluster').name, 'version'));
  });

  it('updates one node at a time and leaves desired size to operators after creation', () => {
    const group = Template.fromJSON(json).only('aws_eks_node_group').config;
    expect(group.update_config).toEqual({ max_unavailable: 1 });
    expect(group.lifecycle.ignore_changes).toEqual(['scaling_config[0].desired_size']);
    expect(group.remote_access).toBeUndefined();
  });

  it('patches the nodes: their AMI release is the one AWS publishes as recommended for the Kubernetes version, read at plan time', () => {
    const group = Template.fromJSON(json).only('aws_eks_node_group').config;
    const amiParameter = Object.entries(json.data.aws_ssm_parameter as Record<string, any>).find(([, p]) => String(p.name).includes('/eks/optimized-ami/'));
    assert.exists(amiParameter, 'an SSM parameter data source for the EKS optimized AMI');
    const [name, parameter] = amiParameter;
    expect(parameter.name).toBe('/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/recommended/release_version');
    expect(group.release_version).toBe(`\${data.aws_ssm_parameter.${name}.insecure_value}`);
    // A newer release is an in-place node group update: EKS replaces the nodes one at a time.
    expect(group.update_config).toEqual({ max_unavailable: 1 });
    expect(group.ami_type).toBe('AL2023_x86_64_STANDARD');
  });

  it('follows the configured Kubernetes version, or pins a release when one is given (refusing one of another version)', () => {
    const older = synthEks({ kubernetesVersion: '1.34', supportType: 'EXTENDED' }).json;
    expect(Object.values(older.data.aws_ssm_parameter as Record<string, any>).map((p) => p.name)).toContain('/aws/service/eks/optimized-ami/1.34/amazon-linux-2023/x86_64/standard/recommended/release_version');
    const pinned = synthEks({ nodeReleaseVersion: '1.35.0-20260115' }).json;
    expect(Template.fromJSON(pinned).only('aws_eks_node_group').config.release_version).toBe('1.35.0-20260115');
    expect(JSON.stringify(pinned.data?.aws_ssm_parameter ?? {})).not.toContain('/eks/optimized-ami/');
    expect(() => synthEks({ nodeReleaseVersion: '1.34.2-20260115' })).toThrow('releaseVersion = "1.34.2-20260115": expected an EKS AL2023 AMI release of Kubernetes 1.35');
  });

  it('launches nodes with IMDSv2 required at hop limit 1, an encrypted gp3 root volume and no SSH key', () => {
    const template = Template.fromJSON(json).only('aws_launch_template');
    expect(template.config.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 });
    expect(template.config.block_device_mappings).toEqual([
      { device_name: '/dev/xvda', ebs: { volume_size: 50, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' } },
    ]);
    expect(template.config.key_name).toBeUndefined();
    expect(Template.fromJSON(json).only('aws_eks_node_group').config.launch_template).toEqual({
      id: ref('aws_launch_template', template.name, 'id'),
      version: ref('aws_launch_template', template.name, 'latest_version'),
    });
  });

  it('gives nodes the worker, CNI and registry-pull policies', () => {
    expect(trustPolicy(Template.fromJSON(json).only('aws_iam_role', { name: 'crdb-ory-eks-node' }).config).Statement[0].Principal).toEqual({ Service: 'ec2.amazonaws.com' });
    expect(policiesOf(json, 'crdb-ory-eks-node')).toEqual([
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
    ]);
  });

  it('installs the four core add-ons at the newest version for the cluster version, overwriting conflicts', () => {
    const cluster = Template.fromJSON(json).only('aws_eks_cluster').name;
    const addons = Template.fromJSON(json).all('aws_eks_addon');
    expect(addons.map((a) => a.addon_name).sort()).toEqual(['coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    const versions = Object.values(json.data.aws_eks_addon_version) as Array<Record<string, any>>;
    expect(versions).toHaveLength(4);
    for (const version of versions) {
      expect(version).toMatchObject({ most_recent: true, kubernetes_version: ref('aws_eks_cluster', cluster, 'version') });
    }
    for (const addon of addons) {
      expect(addon.addon_version).toMatch(/^\$\{data\.aws_eks_addon_version\..+\.version\}$/);
      expect(addon).toMatchObject({ resolve_conflicts_on_create: 'OVERWRITE', resolve_conflicts_on_update: 'OVERWRITE' });
    }
    expect(Template.fromJSON(json).only('aws_eks_cluster').config.bootstrap_self_managed_addons).toBe(false);
    // The VPC CNI enforces NetworkPolicies only with its network policy agent on (EKS User Guide, cni-network-policy-configure).
    const byName = Object.fromEntries(addons.map((a) => [a.addon_name, a]));
    expect(JSON.parse(byName['vpc-cni'].configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
    for (const other of ['coredns', 'kube-proxy', 'eks-pod-identity-agent']) expect(byName[other].configuration_values).toBeUndefined();
  });

  it('creates networking add-ons before the nodes and coredns after them', () => {
    const addonNames = Object.fromEntries(Object.entries(json.resource.aws_eks_addon).map(([name, a]: [string, any]) => [a.addon_name, name]));
    const group = Template.fromJSON(json).only('aws_eks_node_group');
    for (const before of ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent']) {
      expect(group.config.depends_on).toContain(`aws_eks_addon.${addonNames[before]}`);
    }
    expect(json.resource.aws_eks_addon[addonNames.coredns].depends_on).toEqual([`aws_eks_node_group.${group.name}`]);
  });

  it('gives the Load Balancer Controller its published policy through Pod Identity', () => {
    const role = Template.fromJSON(json).only('aws_iam_role', { name: 'crdb-ory-eks-lbc' });
    expect(trustPolicy(role.config).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
    ]);
    const policy = Template.fromJSON(json).only('aws_iam_policy');
    expect(JSON.parse(policy.config.policy)).toEqual(LOAD_BALANCER_CONTROLLER_IAM_POLICY);
    expect(policiesOf(json, 'crdb-ory-eks-lbc')).toEqual([ref('aws_iam_policy', policy.name, 'arn')]);
    expect(Template.fromJSON(json).only('aws_eks_pod_identity_association').config).toMatchObject({
      namespace: 'kube-system',
      service_account: 'aws-load-balancer-controller',
      role_arn: ref('aws_iam_role', role.name, 'arn'),
    });
  });

  it('creates no role for Ory pods (the Ory stack reads its certificates at apply time)', () => {
    expect(Object.values(json.resource.aws_iam_role).map((r: any) => r.name).sort()).toEqual(['crdb-ory-eks-cluster', 'crdb-ory-eks-lbc', 'crdb-ory-eks-node']);
    expect(Template.fromJSON(json).all('aws_eks_pod_identity_association')).toHaveLength(1);
  });

  it('lets nodes reach the CockroachDB VPC on 26257 and opens nothing to the internet', () => {
    const sg = Template.fromJSON(json).only('aws_security_group', { name: 'crdb-ory-eks-node' });
    expect(sg.config).toMatchObject({ vpc_id: `\${${NETWORK}.ory_vpc_id}`, name: 'crdb-ory-eks-node' });
    expect(sg.config.ingress).toBeUndefined();
    expect(sg.config.egress).toBeUndefined();
    expect(json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
    expect(Template.fromJSON(json).all('aws_vpc_security_group_egress_rule')).toEqual([
      expect.objectContaining({
        security_group_id: ref('aws_security_group', sg.name, 'id'),
        ip_protocol: 'tcp',
        from_port: 26257,
        to_port: 26257,
        cidr_ipv4: `\${${NETWORK}.cockroach_vpc_cidr}`,
      }),
    ]);
  });

  it('puts nodes in the cluster security group and the node security group', () => {
    const cluster = Template.fromJSON(json).only('aws_eks_cluster').name;
    expect(Template.fromJSON(json).only('aws_launch_template').config.vpc_security_group_ids).toEqual([
      ref('aws_eks_cluster', cluster, 'vpc_config[0].cluster_security_group_id'),
      ref('aws_security_group', Template.fromJSON(json).only('aws_security_group', { name: 'crdb-ory-eks-node' }).name, 'id'),
    ]);
  });

  it('publishes every output of the EKS contract from the resources', () => {
    const cluster = Template.fromJSON(json).only('aws_eks_cluster').name;
    expect(Object.keys(json.output).sort()).toEqual(describeContract(EKS_OUTPUTS).map((o) => o.name).sort());
    expect(json.output.cluster_name.value).toBe(ref('aws_eks_cluster', cluster, 'name'));
    expect(json.output.cluster_endpoint.value).toBe(ref('aws_eks_cluster', cluster, 'endpoint'));
    expect(json.output.cluster_certificate_authority_data.value).toBe(ref('aws_eks_cluster', cluster, 'certificate_authority[0].data'));
    expect(json.output.cluster_oidc_issuer_url.value).toBe(ref('aws_eks_cluster', cluster, 'identity[0].oidc[0].issuer'));
    expect(json.output.node_security_group_id.value).toBe(ref('aws_security_group', Template.fromJSON(json).only('aws_security_group', { name: 'crdb-ory-eks-node' }).name, 'id'));
    expect(json.output.node_role_arn.value).toBe(ref('aws_iam_role', Template.fromJSON(json).only('aws_iam_role', { name: 'crdb-ory-eks-node' }).name, 'arn'));
    expect(json.output.load_balancer_controller_role_arn.value).toBe(ref('aws_iam_role', Template.fromJSON(json).only('aws_iam_role', { name: 'crdb-ory-eks-lbc' }).name, 'arn'));
  });

  it('describes the node security group as it is: CockroachDB admits the Ory VPC by CIDR, not this group', () => {
    const description = json.output.node_security_group_id.description;
    expect(description).not.toMatch(/CockroachDB admits/);
    expect(description).toContain('CockroachDB does not reference it');
    expect(description).toContain('egress to the CockroachDB VPC on 26257');
  });

  it('keeps its state in the local eks state file and reads the network stack only', () => {
    expect(json.terraform.backend.local.path).toBe('../../../terraform.eks.tfstate');
    expect(Object.keys(json.data.terraform_remote_state)).toEqual([remoteStateId('network')]);
  });

  it('holds no secret or key material', () => {
    expect(JSON.stringify(json)).not.toMatch(/PRIVATE KEY|password|secret_access_key/i);
  });
});

describe('eks stack with settings', () => {
  it('opens the public endpoint to the configured CIDRs only', () => {
    const { json } = synthEks({ endpointPublicAccessCidrs: ['203.0.113.0/24'] });
    expect(Template.fromJSON(json).only('aws_eks_cluster').config.vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ['203.0.113.0/24'],
    });
  });

  it('grants cluster-admin to each configured principal through an access entry', () => {
    const other = 'arn:aws:iam::123456789012:user/ci';
    const { json } = synthEks({ adminPrincipalArns: [ADMIN, other], deployerClusterAdmin: false });
    expect(Template.fromJSON(json).all('aws_eks_access_entry').map((e) => [e.principal_arn, e.type])).toEqual([
      [ADMIN, 'STANDARD'],
      [other, 'STANDARD'],
    ]);
    const associations = Template.fromJSON(json).all('aws_eks_access_policy_association');
    expect(associations).toHaveLength(2);
    for (const association of associations) {
      expect(association).toMatchObject({
        policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
        access_scope: { type: 'cluster' },
      });
    }
  });

  it('names access entries after the principal, so removing one leaves the others in place', () => {
    const both = Object.keys(synthEks({ adminPrincipalArns: [ADMIN, 'arn:aws:iam::123456789012:user/ci'] }).json.resource.aws_eks_access_entry);
    const one = Object.keys(synthEks({ adminPrincipalArns: ['arn:aws:iam::123456789012:user/ci'] }).json.resource.aws_eks_access_entry);
    expect(both).toContain(one[0]);
  });

  it('pins the add-on versions it is given and resolves the others', () => {
    expect(() => synthEks({ addonVersions: { vpcCni: 'v1.13.4-eksbuild.1' } })).toThrow(/addonVersions.vpcCni = "v1.13.4-eksbuild.1": expected v1.14.0-eksbuild.3 or later/);
    const { json } = synthEks({ addonVersions: { vpcCni: 'v1.20.4-eksbuild.1', coredns: 'v1.12.4-eksbuild.1' } });
    const byName = Object.fromEntries(Template.fromJSON(json).all('aws_eks_addon').map((a) => [a.addon_name, a.addon_version]));
    expect(byName['vpc-cni']).toBe('v1.20.4-eksbuild.1');
    expect(byName.coredns).toBe('v1.12.4-eksbuild.1');
    expect(byName['kube-proxy']).toMatch(/aws_eks_addon_version/);
    expect(Object.values(json.data.aws_eks_addon_version).map((d: any) => d.addon_name).sort()).toEqual(['eks-pod-identity-agent', 'kube-proxy']);
  });

  it('applies cluster name, version, sizes, hop limit, volume size and log retention', () => {
    const { json } = synthEks({
      clusterName: 'ory-prod',
      kubernetesVersion: '1.34',
      supportType: 'EXTENDED',
      nodeInstanceType: 'm6i.xlarge',
      nodeDesiredSize: 4,
      nodeMinSize: 2,
      nodeMaxSize: 6,
      nodeHttpPutResponseHopLimit: 2,
      nodeRootVolumeSizeGiB: 100,
      logRetentionInDays: 90,
    });
    expect(Template.fromJSON(json).only('aws_eks_cluster').config).toMatchObject({ name: 'ory-prod', version: '1.34', upgrade_policy: { support_type: 'EXTENDED' } });
    expect(Template.fromJSON(json).only('aws_cloudwatch_log_group').config).toMatchObject({ name: '/aws/eks/ory-prod/cluster', retention_in_days: 90 });
    expect(Template.fromJSON(json).only('aws_eks_node_group').config).toMatchObject({ instance_types: ['m6i.xlarge'], scaling_config: { desired_size: 4, min_size: 2, max_size: 6 } });
    const template = Template.fromJSON(json).only('aws_launch_template').config;
    expect(template.metadata_options.http_put_response_hop_limit).toBe(2);
    expect(template.block_device_mappings[0].ebs.volume_size).toBe(100);
  });

  it('is always named after its contract (the state key downstream stacks read)', () => {
    expect(new EksStack(Testing.app(), BASE_PROPS).node.id).toBe(EKS_STACK_NAME);
  });
});

describe('eks stack: operator access to the Kubernetes API', () => {
  it('admits each private network to 443 on the control plane only, one rule per CIDR named after it', () => {
    const { json, stack } = synthEks({ endpointPrivateAccessCidrs: ['10.99.0.0/16', '192.168.8.0/24'] });
    const group = Template.fromJSON(json).only('aws_security_group', { name: 'crdb-ory-eks-control-plane' });
    const rules = Object.entries(json.resource.aws_vpc_security_group_ingress_rule) as Array<[string, any]>;
    expect(rules.map(([, r]) => [r.cidr_ipv4, r.ip_protocol, r.from_port, r.to_port, r.security_group_id])).toEqual([
      ['10.99.0.0/16', 'tcp', 443, 443, ref('aws_security_group', group.name, 'id')],
      ['192.168.8.0/24', 'tcp', 443, 443, ref('aws_security_group', group.name, 'id')],
    ]);
    expect(rules.map(([name]) => name)).toEqual([expect.stringContaining('api-from-10-99-0-0-16'), expect.stringContaining('api-from-192-168-8-0-24')]);
    // Not on the nodes (and so not on the pods): their groups are the cluster's and their own.
    expect(Template.fromJSON(json).only('aws_launch_template').config.vpc_security_group_ids).not.toContain(ref('aws_security_group', group.name, 'id'));
    expect(Template.fromJSON(json).only('aws_eks_cluster').config.vpc_config.endpoint_public_access).toBe(false);
    expect(json.locals.kubernetes_api_access.endpoint_private_access_cidrs).toEqual(['10.99.0.0/16', '192.168.8.0/24']);
    expect(warningsOf(stack)).toEqual([]);
  });

  it('keeps the public endpoint for its own list: the Ory end-user CIDRs are not an input of this stack', () => {
    const { json, stack } = synthEks({ endpointPublicAccessCidrs: ['198.51.100.7/32'] });
    expect(Template.fromJSON(json).only('aws_eks_cluster').config.vpc_config).toMatchObject({ endpoint_public_access: true, public_access_cidrs: ['198.51.100.7/32'] });
    expect(json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
    expect(warningsOf(stack)).toEqual([]);
  });

  it.each([
    [{ endpointPublicAccessCidrs: ['10.0.0.0/16'] }, /endpointPublicAccessCidrs\[0\] = "10\.0\.0\.0\/16": includes 10\.0\.0\.0\/8 \(private \(RFC 1918\)\), which EKS refuses on the public endpoint/],
    [{ endpointPublicAccessCidrs: ['0.0.0.0/0'] }, /would open the public API endpoint to the whole internet/],
    [{ endpointPublicAccessCidrs: Array.from({ length: 41 }, (_, i) => `198.51.${i}.0/24`) }, /lists 41 CIDRs; EKS allows at most 40 per cluster \(a quota that cannot be raised\)/],
    [{ endpointPrivateAccessCidrs: ['0.0.0.0/0'] }, /endpointPrivateAccessCidrs\[0\] = "0\.0\.0\.0\/0": would admit every address/],
    [{ endpointPrivateAccessCidrs: ['10.99.0.0/16', '10.99.0.0/16'] }, /endpointPrivateAccessCidrs\[1\] = "10\.99\.0\.0\/16": is listed twice/],
    [{ endpointPrivateAccessCidrs: ['10.99.0.1/16'] }, /host bits set/],
  ])('refuses %j before anything is synthesized', (props, message) => {
    expect(() => synthEks(props as object)).toThrow(message);
  });
});

describe('eks stack: admins', () => {
  it('stops the plan when the deployer also has its own entry: EKS takes one entry per principal', () => {
    const { json } = synthEks({ adminPrincipalArns: [ADMIN] });
    const [session] = Object.keys(json.data.aws_iam_session_context);
    const deployer = Template.fromJSON(json).all('aws_eks_access_entry').find((e) => e.principal_arn.includes('aws_iam_session_context'));
    expect(deployer?.lifecycle.precondition[0].condition).toBe(`\${!contains(["${ADMIN}"], data.aws_iam_session_context.${session}.issuer_arn)}`);
    expect(deployer?.lifecycle.precondition[0].error_message).toContain('is also listed in adminPrincipalArns (eks.adminPrincipalArns)');
  });

  it('without the deployer entry, only the listed principals are admins; with none it warns', () => {
    const { json, stack } = synthEks({ deployerClusterAdmin: false });
    expect(json.resource.aws_eks_access_entry).toBeUndefined();
    expect(json.data.aws_iam_session_context).toBeUndefined();
    expect(warningsOf(stack)).toContain(EKS_NO_ADMIN_WARNING);
    const listed = synthEks({ deployerClusterAdmin: false, adminPrincipalArns: [ADMIN] });
    expect(Template.fromJSON(listed.json).all('aws_eks_access_entry').map((e) => e.principal_arn)).toEqual([ADMIN]);
    expect(warningsOf(listed.stack)).not.toContain(EKS_NO_ADMIN_WARNING);
  });
});

describe('eks stack: partitions', () => {
  it.each([
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])('builds every ARN in the partition of %s (%s), none in the commercial one', (region, partition) => {
    const { json } = synthEks({ region, adminPrincipalArns: [`arn:${partition}:iam::123456789012:role/Admin`] });
    const text = JSON.stringify(json);
    expect(text).not.toContain('arn:aws:');
    expect(policiesOf(json, 'crdb-ory-eks-node')).toEqual([
      `arn:${partition}:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly`,
      `arn:${partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy`,
      `arn:${partition}:iam::aws:policy/AmazonEKS_CNI_Policy`,
    ]);
    expect(Template.fromJSON(json).all('aws_eks_access_policy_association').map((a) => a.policy_arn)).toEqual([
      `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
      `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
    ]);
    const resources = JSON.parse(Template.fromJSON(json).only('aws_iam_policy').config.policy).Statement.flatMap((st: any) => [st.Resource].flat());
    expect(resources).toContain(`arn:${partition}:elasticloadbalancing:*:*:targetgroup/*/*`);
  });
});
