import { defineOutputsContract } from '@crdb-ory/core';
import { describe, expect, it } from 'vitest';
import { resolveTerraformString, synthesizedHelmReleases } from '../src';

const NETWORK = defineOutputsContract('network', {
  oryVpcCidr: { type: 'string', description: 'cidr', example: '10.20.0.0/16' },
  sqlPort: { type: 'number', description: 'port', example: 26257 },
  subnetIds: { type: 'list', description: 'ids', example: ['subnet-1'] },
});
const options = { contracts: [NETWORK] };
const stack = {
  resource: {
    kubernetes_secret_v1: { s_1: { metadata: { name: 'hydra-secrets', namespace: '${kubernetes_namespace_v1.ns.metadata[0].name}' } } },
    kubernetes_namespace_v1: { ns: { metadata: { name: 'ory' } } },
    random_password: { p: { length: 32, special: false } },
    helm_release: {
      hydra: { name: 'hydra', chart: 'hydra', repository: 'https://k8s.ory.com/helm/charts', version: '0.62.1', namespace: '${kubernetes_namespace_v1.ns.metadata[0].name}', values: ['secret:\n  nameOverride: "${kubernetes_secret_v1.s_1.metadata[0].name}"\n'] },
    },
  },
};

describe('Terraform references replaced by typed stand-ins', () => {
  it('remote state outputs become the upstream contract examples, interpolated as Terraform does', () => {
    expect(resolveTerraformString('cidr: "${data.terraform_remote_state.remote-state-network.outputs.ory_vpc_cidr}"', stack, options)).toBe('cidr: "10.20.0.0/16"');
    expect(resolveTerraformString('${data.terraform_remote_state.remote-state-network.outputs.sql_port}', stack, options)).toBe('26257');
  });

  it('resource attributes set in the JSON resolve to their values, nested references too', () => {
    expect(resolveTerraformString('${kubernetes_secret_v1.s_1.metadata[0].name}/${kubernetes_secret_v1.s_1.metadata[0].namespace}', stack, options)).toBe('hydra-secrets/ory');
  });

  it('computed attributes get a stand-in of their type and shape; urlencode() is applied', () => {
    expect(resolveTerraformString('${kubernetes_secret_v1.s_1.metadata[0].resource_version}', stack, options)).toMatch(/^\d+$/);
    expect(resolveTerraformString('${random_password.p.result}', stack, options)).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(resolveTerraformString('${urlencode(kubernetes_secret_v1.s_1.metadata[0].name)}!', { resource: { kubernetes_secret_v1: { s_1: { metadata: { name: 'a b@c' } } } } }, options)).toBe('a%20b%40c!');
  });

  it('refuses what it cannot stand in for, naming the expression', () => {
    expect(() => resolveTerraformString('${data.terraform_remote_state.remote-state-network.outputs.nope}', stack, options)).toThrow('${data.terraform_remote_state.remote-state-network.outputs.nope}: no upstream contract declares this output.');
    expect(() => resolveTerraformString('${data.terraform_remote_state.remote-state-network.outputs.subnet_ids}', stack, options)).toThrow(/is a list: Terraform cannot interpolate it/);
    expect(() => resolveTerraformString('${kubernetes_secret_v1.s_1.metadata[0].uid}', stack, options)).toThrow(/metadata\.uid is not set in the JSON \(computed at apply time\) and has no stand-in/);
    expect(() => resolveTerraformString('${aws_vpc.x.id}', stack, options)).toThrow('the stack has no resource aws_vpc.x');
    expect(() => resolveTerraformString('${jsondecode(x)}', stack, options)).toThrow(/No stand-in for the Terraform function call/);
    expect(() => resolveTerraformString('${a ? b : c}', stack, options)).toThrow(/No stand-in for the Terraform expression/);
  });

  it('lists every helm_release with raw and resolved values, and refuses set blocks', () => {
    const [release] = synthesizedHelmReleases(stack, options);
    expect(release).toEqual({
      address: 'helm_release.hydra',
      name: 'hydra',
      chart: 'hydra',
      repository: 'https://k8s.ory.com/helm/charts',
      version: '0.62.1',
      namespace: 'ory',
      rawValues: stack.resource.helm_release.hydra.values,
      values: ['secret:\n  nameOverride: "hydra-secrets"\n'],
    });
    const withSet = { resource: { helm_release: { x: { ...stack.resource.helm_release.hydra, set: [{ name: 'a', value: 'b' }] } } } };
    expect(() => synthesizedHelmReleases(withSet, options)).toThrow('helm_release.x uses set');
  });
});
