import { assert, describe, expect, it } from 'vitest';
import { Template } from '@crdb-ory/core/testing';
import { MULTI_REGION_MAX_OFFSET, joinRegionsProblems, maxOffsetProblems, multiRegionJoinAddresses } from '../src';
import { NodeSandbox } from './node-sandbox';
import { Json, synthCluster } from './synth';

// Start flags of a node in a cluster that spans regions (src/multi-region/node-locality.ts has the
// CockroachDB docs they come from): --locality with the node's own region and zone, one --join
// list over every region, the 250ms --max-offset, all opt-in (the single-region output is held
// byte-identical by the snapshots of cockroach-stack.spec.ts and rendered-scripts.spec.ts).

const REGIONS = [
  { region: 'us-east-1', nodeIps: ['10.10.10.10', '10.10.11.10', '10.10.12.10'] },
  { region: 'us-east-2', nodeIps: ['10.20.10.10', '10.20.11.10', '10.20.12.10'] },
  { region: 'us-west-2', nodeIps: ['10.30.10.10', '10.30.11.10', '10.30.12.10'] },
];
const NINE = ['10.10.10.10', '10.10.11.10', '10.10.12.10', '10.20.10.10', '10.20.11.10', '10.20.12.10', '10.30.10.10', '10.30.11.10', '10.30.12.10'].map((ip) => `${ip}:26257`);

const userDataOf = (json: Json, n: number): string => json.locals[Object.keys(json.locals).find((k) => k.startsWith(`node-${n}_user-data_`)) ?? 'missing'];

describe('multi-region node start flags', () => {
  it('boots a node of another region with its own locality, the cluster-wide join list and --max-offset=250ms', () => {
    const node = new NodeSandbox();
    node.attachVolume();
    const result = node.runUserData(node.settings({ region: 'us-west-2', availabilityZone: 'us-west-2b', nodeIp: '10.30.11.10', joinAddresses: multiRegionJoinAddresses(REGIONS), maxOffset: MULTI_REGION_MAX_OFFSET }));
    expect(result.status, result.stderr).toBe(0);
    const execStart = node.read('/etc/systemd/system/cockroach.service').split('\n').find((l) => l.startsWith('ExecStart='));
    assert.exists(execStart, 'an ExecStart= line in the unit');
    const flags = execStart.split(' ');
    expect(flags).toContain(`--join=${NINE.join(',')}`);
    expect(flags).toContain('--locality=region=us-west-2,zone=us-west-2b');
    expect(flags).toContain('--advertise-addr=10.30.11.10:26257');
    expect(flags.at(-1)).toBe('--max-offset=250ms');
  });

  it('adds nothing to a single-region node: no --max-offset flag or MAX_OFFSET value', () => {
    const json = synthCluster();
    for (const n of [1, 2, 3]) expect(userDataOf(json, n)).not.toMatch(/max-offset|MAX_OFFSET/i);
  });

  it('passes the stack props to every node: maxOffset and the join list of every region', () => {
    const json = synthCluster({ maxOffset: MULTI_REGION_MAX_OFFSET, joinAddresses: NINE });
    for (const n of [1, 2, 3]) {
      const text = userDataOf(json, n);
      expect(text).toContain("MAX_OFFSET='250ms'");
      expect(text).toContain('--max-offset=$MAX_OFFSET');
      expect(text).toContain(`JOIN_ADDRESSES='${NINE.join(',')}'`);
    }
    expect(Template.fromJSON(json).all('aws_instance')).toHaveLength(3);
  });

  it('refuses a --max-offset that is not whole milliseconds up to 500ms, naming the prop', () => {
    expect(maxOffsetProblems('250ms')).toEqual([]);
    expect(maxOffsetProblems('500ms')).toEqual([]);
    expect(maxOffsetProblems(undefined)).toEqual([]);
    for (const bad of ['501ms', '0ms', '0.25s', '250', '']) expect(maxOffsetProblems(bad)).toEqual([expect.objectContaining({ prop: 'maxOffset', value: bad })]);
    expect(() => synthCluster({ maxOffset: '1s' })).toThrow(/maxOffset = "1s": allowed are whole milliseconds from 1ms to 500ms/);
  });

  it('builds one join list over the regions, more than one address per region', () => {
    expect(multiRegionJoinAddresses(REGIONS)).toEqual(NINE);
    expect(joinRegionsProblems(REGIONS)).toEqual([]);
    expect(joinRegionsProblems([REGIONS[0], { region: 'us-east-2', nodeIps: ['10.20.10.10'] }, REGIONS[0]])).toEqual([
      { prop: 'regions[1].nodeIps', value: ['10.20.10.10'], message: expect.stringContaining('more than one join address per region') },
      { prop: 'regions[2].region', value: 'us-east-1', message: 'is listed twice' },
    ]);
  });
});
