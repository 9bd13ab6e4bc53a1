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

/** The only resource of `type`, with its Terraform name. */
export function only(json: Record<string, any>, type: string): { name: string; value: Record<string, any> } {
  const entries = Object.entries(json.resource?.[type] ?? {});
  if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`);
  const [name, value] = entries[0];
  return { name, value: value as Record<string, any> };
}

export function all(json: Record<string, any>, type: string): Array<Record<string, any>> {
  return Object.values(json.resource?.[type] ?? {}) as Array<Record<string, any>>;
}
