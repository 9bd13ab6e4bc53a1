import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { ORY_NO_API_ACCESS_WARNING, OryStack, OryStackProps, memoryQuantityBytes, publicAccessCidrLimit } from '../src';

const BASE: OryStackProps = { stateBackend: { type: 'local' }, region: 'us-east-1', tags: {}, namePrefix: 'crdb-ory' };

function synth(props: Partial<OryStackProps>): { stack: OryStack; json: Record<string, any> } {
  const stack = new OryStack(Testing.app(), { ...BASE, ...props });
  return { stack, json: JSON.parse(Testing.synth(stack)) };
}

function warnings(stack: OryStack): unknown[] {
  return stack.node.metadata.filter((m) => /warn/i.test(m.type)).map((m) => m.data);
}

describe('OryStack: operator access to the Kubernetes API (clusterApiAccess)', () => {
  it('is not checked unless given', () => {
    const { json, stack } = synth({});
    expect(json.data.terraform_remote_state['remote-state-eks'].lifecycle).toBeUndefined();
    expect(json.locals).toBeUndefined();
    expect(warnings(stack)).not.toContain(ORY_NO_API_ACCESS_WARNING);
  });

  it('when it admits nobody: warns, and the read of the eks state carries the plan-time stop', () => {
    const { json, stack } = synth({ clusterApiAccess: {} });
    expect(warnings(stack)).toContain(ORY_NO_API_ACCESS_WARNING);
    const [precondition] = json.data.terraform_remote_state['remote-state-eks'].lifecycle.precondition;
    expect(precondition.condition).toContain('length(local.kubernetes_api_access.endpoint_private_access_cidrs)');
    expect(precondition.error_message).toMatch(/^Nobody can reach the Kubernetes API of the EKS cluster/);
  });

  it('when it admits a network: declares it, no warning', () => {
    const { json, stack } = synth({ clusterApiAccess: { endpointPrivateAccessCidrs: ['10.99.0.0/16'] } });
    expect(json.locals.kubernetes_api_access).toEqual({ endpoint_public_access_cidrs: [], endpoint_private_access_cidrs: ['10.99.0.0/16'] });
    expect(warnings(stack)).not.toContain(ORY_NO_API_ACCESS_WARNING);
  });

  it('refuses access lists EKS would refuse', () => {
    expect(() => synth({ clusterApiAccess: { endpointPublicAccessCidrs: ['192.168.1.0/24'] } })).toThrow(/clusterApiAccess\.endpointPublicAccessCidrs\[0\] = "192\.168\.1\.0\/24": includes 192\.168\.0\.0\/16/);
  });
});

describe('OryStack: limits Kubernetes and AWS enforce', () => {
  it('refuses a memory request above the limit, naming the service', () => {
    expect(() => synth({ hydra: { memoryRequest: '2Gi', memoryLimit: '1Gi' } })).toThrow(/hydra\.memoryRequest = "2Gi": must not exceed hydra\.memoryLimit \(1Gi\)/);
    expect(() => synth({ keto: { memoryRequest: '768Mi' } })).toThrow(/keto\.memoryRequest = "768Mi": must not exceed keto\.memoryLimit \(512Mi\)/);
    expect(() => synth({ kratos: { memoryLimit: 'lots' } })).toThrow(/kratos\.memoryLimit = "lots": must be a Kubernetes memory quantity/);
  });

  it('reads Kubernetes memory quantities', () => {
    expect(memoryQuantityBytes('256Mi')).toBe(256 * 2 ** 20);
    expect(memoryQuantityBytes('1Gi')).toBe(2 ** 30);
    expect(memoryQuantityBytes('1.5G')).toBe(1.5e9);
    expect(memoryQuantityBytes('512000000')).toBe(512e6);
    expect(memoryQuantityBytes('512MB')).toBeUndefined();
  });

  it('caps publicAccessCidrs at what the load balancer security group holds (60 rules / listener ports)', () => {
    expect(publicAccessCidrLimit({})).toEqual({ limit: 30, listenerPorts: [4444, 4433] });
    expect(publicAccessCidrLimit({ exposeKetoReadApi: true })).toEqual({ limit: 20, listenerPorts: [4444, 4433, 4466] });
    expect(publicAccessCidrLimit({ domain: 'example.com', exposeKetoReadApi: true })).toEqual({ limit: 60, listenerPorts: [443] });
    const cidrs = Array.from({ length: 31 }, (_, i) => `198.51.${i}.0/24`);
    expect(() => synth({ publicAccessCidrs: cidrs })).toThrow(/publicAccessCidrs = "31 CIDRs": must list at most 30/);
  });
});
