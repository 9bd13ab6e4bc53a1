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
    expect(() => resolveTerraformString('${base64encode(x)}', stack, options)).toThrow(/No stand-in for the Terraform function call \$\{base64encode\(x\)\}/);
    expect(() => resolveTerraformString('${data.aws_caller_identity.me.account_id}', stack, options)).toThrow('the stack has no data source aws_caller_identity.me');
    expect(() => resolveTerraformString('${lookup(jsondecode("{}"), "k")}', stack, options)).toThrow('lookup(): the map has no key "k"');
    expect(() => resolveTerraformString('${a ? b : c}', stack, options)).toThrow(/No stand-in for the Terraform expression/);
  });

  it("reads through core's one expression parser: Terraform's escapes are literal text, a legacy .0 index is an index", () => {
    // A Helm template in a values document is escaped for Terraform (`$${`), which renders it as `${` (HCL template escapes).
    expect(resolveTerraformString('url: "$${HYDRA_URL}" ${kubernetes_secret_v1.s_1.metadata.0.name} 100%%{x}', stack, options)).toBe('url: "${HYDRA_URL}" hydra-secrets 100%{x}');
  });

  it("applies sha256, jsonencode and nonsensitive as Terraform does, to the resolved value", () => {
    // `echo 'nonsensitive(sha256(jsonencode({"b" = "2", "a" = "<&>"})))' | terraform console` (Terraform 1.11)
    expect(resolveTerraformString('${nonsensitive(sha256(jsonencode(random_password.p)))}', { resource: { random_password: { p: { b: '2', a: '<&>' } } } }, options)).toBe(
      '915a6e5101546601602b070e7477e0a9dca0cb5925ab66555ae1e0ddce06427d',
    );
  });

  it('data source attributes: set in the JSON, or computed with a stand-in; a secret value is opaque JSON whose keys stand in by name', () => {
    const withSecret = {
      data: { aws_secretsmanager_secret_version: { v: { secret_id: '${data.terraform_remote_state.remote-state-network.outputs.ory_vpc_cidr}' } } },
      resource: {},
    };
    expect(resolveTerraformString('${data.aws_secretsmanager_secret_version.v.secret_id}', withSecret, options)).toBe('10.20.0.0/16');
    const ca = resolveTerraformString('${jsondecode(data.aws_secretsmanager_secret_version.v.secret_string)["ca.crt"]}', withSecret, options);
    const cert = resolveTerraformString('${jsondecode(data.aws_secretsmanager_secret_version.v.secret_string)["client.${data.terraform_remote_state.remote-state-network.outputs.sql_port}.crt"]}', withSecret, options);
    expect(ca).toBe('<secret 10.20.0.0/16["ca.crt"]>');
    expect(cert).toBe('<secret 10.20.0.0/16["client.26257.crt"]>');
    const real = { ...options, computed: { 'data.aws_secretsmanager_secret_version': { secret_string: () => JSON.stringify({ 'ca.crt': 'PEM' }) } } };
    expect(resolveTerraformString('${lookup(jsondecode(data.aws_secretsmanager_secret_version.v.secret_string), "ca.crt")}', withSecret, real)).toBe('PEM');
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
