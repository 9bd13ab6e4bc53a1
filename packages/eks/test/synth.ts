import { Testing } from 'cdktf';
import { EksStack, EksStackProps } from '../src';

export const BASE_PROPS: EksStackProps = {
  stateBackend: { type: 'local' },
  region: 'us-east-1',
  tags: { Project: 'crdb-ory' },
  namePrefix: 'crdb-ory',
};

/** Synthesizes the eks stack with `overrides` over the defaults; returns the stack and its JSON. */
export function synthEks(overrides: Partial<EksStackProps> = {}): { stack: EksStack; json: Record<string, any> } {
  const app = Testing.app();
  const stack = new EksStack(app, { ...BASE_PROPS, ...overrides });
  return { stack, json: JSON.parse(Testing.synth(stack)) };
}
