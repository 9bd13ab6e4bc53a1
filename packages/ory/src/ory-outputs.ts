import { defineOutputsContract } from '@crdb-ory/core';

/** Stack name of the Ory stack: also its state key. API: never rename. */
export const ORY_STACK_NAME = 'ory';

/** The Ory stack's outputs: where the verification tool and users find the services. */
export const ORY_OUTPUTS = defineOutputsContract(ORY_STACK_NAME, {
  namespace: { type: 'string', description: 'Kubernetes namespace of Hydra, Kratos and Keto.', example: 'ory' },
  hydraIssuerUrl: { type: 'string', description: "Hydra's issuer and public URL.", example: 'https://hydra.example.com/' },
  hydraAdminUrl: { type: 'string', description: "Hydra's admin URL (cluster-internal).", example: 'http://hydra-admin.ory.svc.cluster.local:4445/' },
  kratosPublicUrl: { type: 'string', description: "Kratos's public base URL.", example: 'https://kratos.example.com/' },
  kratosAdminUrl: { type: 'string', description: "Kratos's admin base URL (cluster-internal).", example: 'http://kratos-admin.ory.svc.cluster.local:4434/' },
  ketoReadUrl: { type: 'string', description: "Keto's read API (cluster-internal unless exposed).", example: 'http://keto-read.ory.svc.cluster.local:4466/' },
  ketoWriteUrl: { type: 'string', description: "Keto's write API (cluster-internal).", example: 'http://keto-write.ory.svc.cluster.local:4467/' },
  publicLoadBalancerHostname: { type: 'string', description: 'DNS name of the internet-facing ALB; empty when nothing is public (publicAccessCidrs empty).', example: 'k8s-crdbory-0123456789-1234567890.us-east-1.elb.amazonaws.com' },
});

/**
 * The outputs contract of one region's Ory stack in a multi-region app: `ORY_OUTPUTS` under that
 * stack's own name. The single-region app keeps `ORY_OUTPUTS`, unchanged.
 */
export function regionalOryOutputs(stackName: string) {
  return defineOutputsContract(stackName, ORY_OUTPUTS.outputs);
}
