import { COCKROACH_OUTPUTS, COCKROACH_PKI_OUTPUTS } from '@crdb-ory/cockroach';
import { EKS_OUTPUTS } from '@crdb-ory/eks';
import { NETWORK_OUTPUTS } from '@crdb-ory/network';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ORY_REVIEW, ORY_STACK_NAME } from '../src';
import { Template } from '@crdb-ory/core/testing';
import { synthOry } from './support/synth-ory';

const { json } = synthOry();
const EXEC = {
  api_version: 'client.authentication.k8s.io/v1beta1',
  command: 'aws',
  args: ['eks', 'get-token', '--cluster-name', '${data.terraform_remote_state.remote-state-eks.outputs.cluster_name}', '--region', 'us-east-1', '--output', 'json'],
};

describe('cluster access', () => {
  it('kubernetes and helm (v3 syntax) authenticate with aws eks get-token; no token, no kubeconfig', () => {
    const [kubernetes] = json.provider.kubernetes;
    const [helm] = json.provider.helm;
    expect(kubernetes).toEqual({
      host: '${data.terraform_remote_state.remote-state-eks.outputs.cluster_endpoint}',
      cluster_ca_certificate: '${base64decode(data.terraform_remote_state.remote-state-eks.outputs.cluster_certificate_authority_data)}',
      exec: [EXEC],
    });
    expect(helm).toEqual({ kubernetes: { host: kubernetes.host, cluster_ca_certificate: kubernetes.cluster_ca_certificate, exec: EXEC } });
  });

  it('pins the providers the design names', () => {
    expect(json.terraform.required_providers).toMatchObject({
      aws: { version: '5.100.0' },
      kubernetes: { version: '2.38.0' },
      helm: { version: '3.1.1' },
      random: { source: 'hashicorp/random' },
    });
  });

  it('installs the AWS Load Balancer Controller under the service account the EKS stack binds its role to', () => {
    // The EKS stack owns the Pod Identity association; a second one for the same service account fails to create.
    expect(Template.fromJSON(json).all('aws_eks_pod_identity_association')).toEqual([]);
    const release = Template.fromJSON(json).only('helm_release', { chart: 'aws-load-balancer-controller' }).config;
    expect(release).toMatchObject({ repository: 'https://aws.github.io/eks-charts', version: '1.14.0', namespace: 'kube-system' });
    expect(parse(release.values[0])).toEqual({
      clusterName: '${data.terraform_remote_state.remote-state-eks.outputs.cluster_name}',
      region: 'us-east-1',
      vpcId: '${data.terraform_remote_state.remote-state-network.outputs.ory_vpc_id}',
      replicaCount: 2,
      serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
    });
  });

  it('puts Ory in its own namespace that enforces the restricted Pod Security Standard and has the ALB readiness gate injected', () => {
    const [namespace] = Template.fromJSON(json).all('kubernetes_namespace_v1');
    expect(namespace.metadata.name).toBe('ory');
    expect(namespace.metadata.labels).toEqual({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
      'app.kubernetes.io/part-of': 'ory',
    });
  });
});

describe('ORY_REVIEW', () => {
  it('names the stack and every upstream contract it reads', () => {
    expect(ORY_REVIEW.stackName).toBe(ORY_STACK_NAME);
    expect(ORY_REVIEW.upstream).toEqual([NETWORK_OUTPUTS, COCKROACH_OUTPUTS, COCKROACH_PKI_OUTPUTS, EKS_OUTPUTS]);
    // Every upstream through remote state except the PKI, whose state holds every key: it publishes SSM parameters.
    expect(Object.keys(json.data.terraform_remote_state).sort()).toEqual(ORY_REVIEW.upstream.filter((c) => c !== COCKROACH_PKI_OUTPUTS).map((c) => `remote-state-${c.stackName}`).sort());
    expect(Object.keys(json.data.aws_ssm_parameter).filter((id) => id.startsWith('published-cockroach-pki-')).length).toBe(Object.keys(COCKROACH_PKI_OUTPUTS.outputs).length);
  });

  it('asserts every Ory release is atomic, by its real address', () => {
    expect(ORY_REVIEW.assertions(json).map((a) => a.condition).sort()).toEqual([
      'helm_release.hydra.atomic == true',
      'helm_release.keto.atomic == true',
      'helm_release.kratos.atomic == true',
    ]);
  });

  it('synthesizes the same all-defaults JSON', () => {
    expect(json).toMatchSnapshot();
  });
});
