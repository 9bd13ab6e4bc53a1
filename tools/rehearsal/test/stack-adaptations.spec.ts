import { readCdktfManifest } from '@crdb-ory/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_REHEARSED, REHEARSED_STACKS, dropResources, readStack, replaceWithStandIns, synthesize, type StackJson } from '../src';

const CONFIG = join(__dirname, '..', 'config', 'rehearsal.config.json');
let outdir: string;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'rehearsal-adaptations-'));
  await synthesize(CONFIG, outdir);
}, 120_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const prepared = (name: string) => {
  const definition = REHEARSED_STACKS.find((stack) => stack.name === name);
  if (!definition) throw new Error(`${name} is not a rehearsed stack`);
  return definition.prepare(readStack(outdir, name));
};

/** Every `<type>.<name>` a string of the stack refers to, for managed resources of `types`. */
function references(stack: StackJson, pattern: RegExp): string[] {
  return [...JSON.stringify(stack).matchAll(pattern)].map((match) => match[0]);
}

describe('cockroach-pki, seeded', () => {
  it('has no tls resource, provider or reference left, and one stand-in per tls resource', () => {
    const { stack, adaptations } = prepared('cockroach-pki');
    const original = readStack(outdir, 'cockroach-pki');
    expect(references(stack, /(?<![\w.])tls_\w+\.[\w-]+/g)).toEqual([]);
    expect(stack['provider']['tls']).toBeUndefined();
    expect(stack['terraform']['required_providers']['tls']).toBeUndefined();
    const tlsCount = ['tls_private_key', 'tls_self_signed_cert', 'tls_cert_request', 'tls_locally_signed_cert'].reduce((sum, type) => sum + Object.keys(original['resource'][type]).length, 0);
    expect(Object.keys(stack['resource']['terraform_data'])).toHaveLength(tlsCount);
    expect(adaptations.map((a) => `${a.type} ${a.count}`).sort()).toEqual(['tls_cert_request 8', 'tls_locally_signed_cert 8', 'tls_private_key 9', 'tls_self_signed_cert 1']);
  });

  it('points every reference at a stand-in that has the attribute read', () => {
    const { stack } = prepared('cockroach-pki');
    const standIns: StackJson = stack['resource']['terraform_data'];
    const reads = references(stack, /terraform_data\.([\w-]+)\.output\.(\w+)/g);
    const original = structuredClone(readStack(outdir, 'cockroach-pki'));
    for (const type of Object.keys(original['resource']).filter((t) => t.startsWith('tls_'))) delete original['resource'][type];
    expect(reads).toHaveLength(references(original, /(?<![\w.])tls_\w+\.[\w-]+\.\w+/g).length);
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) {
      const [, name = '', attribute = ''] = /terraform_data\.([\w-]+)\.output\.(\w+)/.exec(read) ?? [];
      expect(standIns[name]?.input?.[attribute], read).toMatch(/^stand-in: \w+ of tls_/);
    }
  });

  it('keeps every AWS resource of the stack as synthesized apart from the rewritten references', () => {
    const { stack } = prepared('cockroach-pki');
    const original = readStack(outdir, 'cockroach-pki');
    for (const type of Object.keys(original['resource']).filter((t) => t.startsWith('aws_'))) expect(Object.keys(stack['resource'][type])).toEqual(Object.keys(original['resource'][type]));
  });
});

describe('eks, with what moto lacks left out', () => {
  it('drops exactly the add-ons, access entries, Pod Identity and add-on versions, and reports their counts', () => {
    const { stack, adaptations } = prepared('eks');
    expect(adaptations.map((a) => `${a.type} ${a.count}`)).toEqual(['aws_eks_addon 4', 'aws_eks_access_entry 1', 'aws_eks_access_policy_association 1', 'aws_eks_pod_identity_association 1', 'data.aws_eks_addon_version 4']);
    expect(references(stack, /(?<![\w.])(aws_eks_addon|aws_eks_access_entry|aws_eks_access_policy_association|aws_eks_pod_identity_association|data\.aws_eks_addon_version)\.[\w-]+/g)).toEqual([]);
    expect(Object.keys(stack['resource']['aws_eks_cluster'])).toHaveLength(1);
    expect(Object.keys(stack['resource']['aws_eks_node_group'])).toHaveLength(1);
  });

  it('refuses to guess a dropped reference inside a larger expression', () => {
    const stack = { resource: { aws_a: { x: {} }, aws_b: { y: { name: 'prefix-${aws_a.x.id}' } } } };
    expect(() => dropResources(stack, ['aws_a'], [], 'test')).toThrow(/resource\.aws_b\.y\.name: "prefix-\$\{aws_a\.x\.id\}" uses aws_a\.x, which the rehearsal leaves out, inside an expression/);
  });

  it('replaces a whole-value reference by a stand-in and removes depends_on entries', () => {
    const stack = { resource: { aws_a: { x: {} }, aws_b: { y: { name: '${aws_a.x.id}', depends_on: ['aws_a.x', 'aws_c.z'] } } } };
    const { stack: result } = dropResources(stack, ['aws_a'], [], 'test');
    expect(result['resource']['aws_b']['y']).toEqual({ name: 'stand-in for aws_a.x.id', depends_on: ['aws_c.z'] });
  });
});

describe('stacks without gaps', () => {
  it.each(['state', 'network', 'cockroach-backup', 'cockroach'])('%s is rehearsed exactly as synthesized', (name) => {
    const { stack, adaptations } = prepared(name);
    expect(adaptations).toEqual([]);
    expect(stack).toEqual(readStack(outdir, name));
  });

  it("reads references with core's expression parser: literal text naming a resource stays as written, a reference in an expression it cannot read is refused", () => {
    const tls = {
      resource: {
        tls_private_key: { k: {} },
        aws_a: { x: { description: 'rotates tls_private_key.k.private_key_pem yearly', pem: '${tls_private_key.k.public_key_pem}', depends_on: ['tls_private_key.k'] } },
      },
    };
    const { stack } = replaceWithStandIns(tls, ['tls_private_key'], 'test');
    expect(stack['resource']['aws_a']['x']).toEqual({ description: 'rotates tls_private_key.k.private_key_pem yearly', pem: '${terraform_data.tls_private_key_k.output.public_key_pem}', depends_on: ['terraform_data.tls_private_key_k'] });
    expect(stack['resource']['terraform_data']).toEqual({ tls_private_key_k: { input: { public_key_pem: 'stand-in: public_key_pem of tls_private_key "k"' } } });
    const conditional = { resource: { tls_private_key: { k: {} }, aws_a: { x: { pem: '${tls_private_key.k.id == "" ? "a" : "b"}' } } } };
    expect(() => replaceWithStandIns(conditional, ['tls_private_key'], 'test')).toThrow(/resource\.aws_a\.x\.pem: .* names tls_private_key\., in an expression the rehearsal cannot read/);
    const eks = { resource: { aws_a: { x: {} }, aws_b: { y: { description: 'replaces aws_a.x by hand', name: '${aws_a.x.id}' } } } };
    expect(dropResources(eks, ['aws_a'], [], 'test').stack['resource']['aws_b']['y']).toEqual({ description: 'replaces aws_a.x by hand', name: 'stand-in for aws_a.x.id' });
  });

  it('replaceWithStandIns changes nothing when the stack has none of the types', () => {
    const stack = { resource: { aws_a: { x: { v: '${aws_b.y.id}' } } } };
    expect(replaceWithStandIns(stack, ['tls_private_key'], 'test')).toEqual({ stack, adaptations: [] });
  });
});

describe('the rehearsed stacks', () => {
  it('are every stack the app synthesizes, rehearsed or named as not rehearsed, none twice', () => {
    const synthesized = Object.keys(readCdktfManifest(outdir).stacks).sort();
    expect([...REHEARSED_STACKS.map((stack) => stack.name), ...NOT_REHEARSED.map((stack) => stack.name)].sort()).toEqual(synthesized);
  });
});
