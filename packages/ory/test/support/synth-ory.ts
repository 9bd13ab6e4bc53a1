import { expect } from 'vitest';
import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { OryStack, OryStackProps } from '../../src';

export const BASE_PROPS: OryStackProps = {
  stateBackend: { type: 'local' },
  region: 'us-east-1',
  tags: { Project: 'crdb-ory' },
  namePrefix: 'crdb-ory',
};

export interface SynthesizedOry {
  readonly stack: OryStack;
  readonly json: Record<string, any>;
  /** Parsed Helm values of every release, by release name. */
  readonly values: Record<string, any>;
}

export function synthOry(overrides: Partial<OryStackProps> = {}): SynthesizedOry {
  const app = Testing.app();
  const stack = new OryStack(app, { ...BASE_PROPS, ...overrides });
  const json = JSON.parse(Testing.synth(stack));
  return { stack, json, values: releaseValues(json) };
}

export function releaseValues(json: Record<string, any>): Record<string, any> {
  const releases: Record<string, any> = json.resource?.helm_release ?? {};
  return Object.fromEntries(
    Object.values(releases).map((release: any) => {
      expect(release.values).toHaveLength(1);
      return [release.name, parse(release.values[0])];
    }),
  );
}
