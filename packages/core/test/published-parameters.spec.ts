import { App, Fn, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { ProductStack, channelOf, defineOutputsContract, parsePublishedParameterName, publishOutputs, publishedOutputOf, publishedParameterName } from '../src';

const PUBLISHED = defineOutputsContract(
  'upstream',
  {
    caCertificatePem: { type: 'string', description: 'Public certificate.', example: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
    secretArns: { type: 'list', description: 'Secrets.', example: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf'] },
    port: { type: 'number', description: 'Port.', example: 26257 },
  },
  { channel: 'ssm-parameters' },
);

function synth(build: (app: App) => ProductStack): Record<string, any> {
  return JSON.parse(Testing.synth(build(Testing.app())));
}

describe('outputs published as SSM parameters', () => {
  it('names each parameter /<prefix>/<stack>/<output_name>, and parses the name back', () => {
    expect(channelOf(PUBLISHED)).toBe('ssm-parameters');
    expect(publishedParameterName('acme', 'cockroach-pki', 'nodeSecretArns')).toBe('/acme/cockroach-pki/node_secret_arns');
    expect(parsePublishedParameterName('/acme/cockroach-pki/node_secret_arns')).toEqual({ stackName: 'cockroach-pki', outputName: 'node_secret_arns' });
    expect(parsePublishedParameterName('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64')).toBeUndefined();
    expect(publishedOutputOf('/acme/upstream/secret_arns', [PUBLISHED])).toEqual({ contract: PUBLISHED, key: 'secretArns' });
    expect(publishedOutputOf('/acme/upstream/other', [PUBLISHED])).toBeUndefined();
  });

  it('publishes every output as a String parameter holding its JSON encoding (from the stack name prefix), and as a Terraform output', () => {
    const json = synth((app) => {
      const stack = new ProductStack(app, 'upstream', { stateBackend: { type: 'local' }, namePrefix: 'acme' });
      publishOutputs(stack, PUBLISHED, { caCertificatePem: 'PEM', secretArns: ['a', 'b'], port: 26257 });
      return stack;
    });
    const parameters = Object.values(json.resource.aws_ssm_parameter as Record<string, any>);
    expect(parameters.map((p) => [p.name, p.type, p.tier, p.insecure_value])).toEqual([
      ['/acme/upstream/ca_certificate_pem', 'String', 'Standard', '${jsonencode("PEM")}'],
      ['/acme/upstream/port', 'String', 'Standard', '${jsonencode(26257)}'],
      ['/acme/upstream/secret_arns', 'String', 'Standard', '${jsonencode(["a", "b"])}'],
    ]);
    expect(parameters.every((p) => p.value === undefined)).toBe(true);
    expect(Object.keys(json.output).sort()).toEqual(['ca_certificate_pem', 'port', 'secret_arns']);
  });

  it('reads them with one aws_ssm_parameter per output (never the upstream state), typed, and records the read as a dependency', () => {
    let read: Record<string, unknown> = {};
    const json = synth((app) => {
      const stack = new ProductStack(app, 'downstream', { stateBackend: { type: 's3', bucket: 'b', region: 'us-east-1', keyPrefix: 'p' }, namePrefix: 'acme' });
      const upstream = stack.readUpstream(PUBLISHED);
      read = { ...upstream };
      publishOutputs(stack, defineOutputsContract('downstream', { first: { type: 'string', description: 'd', example: 'e' } }), { first: `${Fn.element(upstream.secretArns, 0)}:${upstream.port}` });
      expect(stack.upstreamReads).toEqual([{ stackName: 'upstream', channel: 'ssm-parameters' }]);
      return stack;
    });
    expect(json.data.terraform_remote_state).toBeUndefined();
    expect(Object.entries(json.data.aws_ssm_parameter).map(([id, d]: [string, any]) => [id, d.name])).toEqual([
      ['published-upstream-ca_certificate_pem', '/acme/upstream/ca_certificate_pem'],
      ['published-upstream-port', '/acme/upstream/port'],
      ['published-upstream-secret_arns', '/acme/upstream/secret_arns'],
    ]);
    expect(json.output.first.value).toBe('${element(jsondecode(data.aws_ssm_parameter.published-upstream-secret_arns.insecure_value), 0)}:${jsondecode(data.aws_ssm_parameter.published-upstream-port.insecure_value)}');
    expect(Object.keys(read)).toEqual(['caCertificatePem', 'secretArns', 'port']);
  });

  it('refuses to publish a sensitive output through parameters, and a non-product stack', () => {
    const secretContract = defineOutputsContract('upstream', { key: { type: 'string', description: 'k', example: 'e', sensitive: true } }, { channel: 'ssm-parameters' });
    const app = Testing.app();
    const stack = new ProductStack(app, 'upstream', { stateBackend: { type: 'local' } });
    expect(() => publishOutputs(stack, secretContract, { key: 'x' })).toThrow('publishes through SSM parameters, which hold no secret; key is sensitive');
  });

  it('derives the parameters from the default prefix when the stack names none', () => {
    const json = synth((app) => {
      const stack = new ProductStack(app, 'upstream', { stateBackend: { type: 'local' } });
      publishOutputs(stack, PUBLISHED, { caCertificatePem: 'PEM', secretArns: ['a'], port: 1 });
      expect(stack.stateAccess).toEqual({ stackName: 'upstream', reads: [], publishesParameters: true });
      return stack;
    });
    expect(Object.values(json.resource.aws_ssm_parameter as Record<string, any>)[0].name).toBe('/crdb-ory/upstream/ca_certificate_pem');
  });
});
