import { describe, expect, it } from 'vitest';
import { EngineOutput, Json, comparable, compareEngineOutputs, jsonDifferences, resourceCount, stampedVersion } from '../src';

function stack(version: string, resources: Json = { aws_vpc: { main: { cidr_block: '10.0.0.0/16', tags: { a: '1', b: '2' } } } }): Json {
  return { '//': { metadata: { backend: 'local', stackName: 'network', version }, outputs: {} }, resource: resources, terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } } };
}

function output(label: string, version: string, stacks: Record<string, Json>, manifestExtra: Record<string, Json> = {}): EngineOutput {
  return { label, version, app: { manifest: { version, stacks: Object.fromEntries(Object.keys(stacks).map((name) => [name, { name }])), ...manifestExtra }, stacks: new Map(Object.entries(stacks)) } };
}

describe('the engine version stamp', () => {
  it('is read from a stack\'s //.metadata.version and the manifest\'s version, and removed from nothing else', () => {
    expect(stampedVersion(stack('0.24.0'), 'stack')).toBe('0.24.0');
    expect(stampedVersion({ version: '0.21.0', stacks: {} }, 'manifest')).toBe('0.21.0');
    expect(comparable(stack('0.24.0'), 'stack')).toEqual({ ...(stack('x') as object), '//': { metadata: { backend: 'local', stackName: 'network' }, outputs: {} } });
  });

  it('is left out of the manifest with the annotations\' stack traces (the folder the app ran in), not their messages', () => {
    const annotation = { constructPath: 'network', level: '@cdktf/warn', message: 'no alarm subscriber', stacktrace: ['new NetworkStack (/tmp/a/node_modules/@crdb-ory/network/dist/network-stack.js:55:9)'] };
    expect(comparable({ version: '1', stacks: { network: { annotations: [annotation], dependencies: [] } } }, 'manifest')).toEqual({
      stacks: { network: { annotations: [{ constructPath: 'network', level: '@cdktf/warn', message: 'no alarm subscriber' }], dependencies: [] } },
    });
  });
});

describe('jsonDifferences', () => {
  it('ignores the order of object keys, not of arrays', () => {
    expect(jsonDifferences({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toEqual([]);
    expect(jsonDifferences({ b: [1, 2] }, { b: [2, 1] })).toEqual(['$.b[0]: 1 -> 2', '$.b[1]: 2 -> 1']);
  });

  it('names the path of each difference, absent values included', () => {
    expect(jsonDifferences({ resource: { aws_vpc: { main: { cidr: 'a' } } } }, { resource: { aws_vpc: { main: { cidr: 'b', 'x-y.z': 1 } } } })).toEqual([
      '$.resource.aws_vpc.main.cidr: "a" -> "b"',
      '$.resource.aws_vpc.main["x-y.z"]: (absent) -> 1',
    ]);
    expect(jsonDifferences([1], [1, 2])).toEqual(['$: [1] -> [1,2]']);
  });
});

describe('compareEngineOutputs', () => {
  it('accepts two syntheses that differ only in the engine version stamp', () => {
    const result = compareEngineOutputs(output('cdktf 0.21.0', '0.21.0', { network: stack('0.21.0') }), output('cdktn 0.24.0', '0.24.0', { network: stack('0.24.0') }));
    expect(result).toEqual({ stacks: ['network'], differences: [] });
  });

  it('fails when a side was not synthesized by its engine (the same engine twice proves nothing)', () => {
    const result = compareEngineOutputs(output('cdktf 0.21.0', '0.21.0', { network: stack('0.21.0') }), output('cdktn 0.24.0', '0.24.0', { network: stack('0.21.0') }, { version: '0.21.0' }));
    expect(result.differences).toEqual([
      'cdktn 0.24.0: manifest.json is stamped "0.21.0", not 0.24.0: the synthesis did not run on that engine',
      'cdktn 0.24.0: stack network is stamped "0.21.0", not 0.24.0: the synthesis did not run on that engine',
    ]);
  });

  it('reports any other difference: a value, a resource, a stack, the manifest', () => {
    const left = output('cdktf 0.21.0', '0.21.0', { network: stack('0.21.0'), state: stack('0.21.0') });
    const right = output('cdktn 0.24.0', '0.24.0', { network: stack('0.24.0', { aws_vpc: { main: { cidr_block: '10.0.0.0/16', tags: { a: '1', b: '3' } } }, aws_subnet: { a: {} } }) }, { extra: true });
    expect(compareEngineOutputs(left, right).differences).toEqual([
      'stack network.resource.aws_subnet: (absent) -> {"a":{}}',
      'stack network.resource.aws_vpc.main.tags.b: "2" -> "3"',
      'stack state: synthesized by cdktf 0.21.0 only',
      'manifest.json.extra: (absent) -> true',
      'manifest.json.stacks.state: {"name":"state"} -> (absent)',
    ]);
  });

  it('counts resources per stack', () => {
    expect(resourceCount(stack('1', { aws_vpc: { a: {}, b: {} }, aws_subnet: { c: {} } }))).toBe(3);
    expect(resourceCount({})).toBe(0);
  });
});
