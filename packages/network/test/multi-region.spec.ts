import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { ProductStack, type RemoteOutputs, ValidationError, remoteStateId, terraformOutputName } from '@crdb-ory/core';
import { Template } from '@crdb-ory/core/testing';
import { CRDB_ORY_PACK, type PolicyContext, evaluateStack } from '@crdb-ory/policy';
import { Fn, TerraformStack, Testing } from 'cdktf';
import { GO_RUNTIME_ENV, AWS_PROVIDER, findProviderMirror, runTerraform, writeMirrorCliConfig } from '@crdb-ory/terraform-harness';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InterRegionNodeRules,
  InterRegionPeeringMesh,
  InterRegionVpcPeering,
  NETWORK_OUTPUTS,
  NetworkStack,
  PrivateZone,
  type RegionalNetworkOutputs,
  type RegionalPeeredVpc,
  meshedCockroachVpc,
  regionalNetworkOutputs,
} from '../src';
import { MULTI_REGION_DEFAULTS, REFERENCE_PROPS } from './fixtures';

/** The three default regions and the proposed CIDR plan of docs/network.md ("Multi-region"). */
const REGIONS = MULTI_REGION_DEFAULTS;
const PRIMARY = 'us-east-1';

function layout(cidr: string, privateThird: (i: number) => string) {
  const base = cidr.split('.').slice(0, 2).join('.');
  return { cidr, publicSubnetCidrs: [0, 1, 2].map((i) => `${base}.${i}.0/24`), privateSubnetCidrs: [0, 1, 2].map((i) => `${base}.${privateThird(i)}`) };
}

function networkStackName(region: string): string {
  return `network-${region}`;
}

function remoteOutput(region: string, key: string): string {
  return `\${data.terraform_remote_state.${remoteStateId(networkStackName(region))}.outputs.${terraformOutputName(key)}}`;
}

/**
 * A three-region app as the multi-region app will build it from these pieces: one network stack
 * per region (its own name and provider), and a global stack in the primary region with one
 * aliased provider per region that reads each region's network contract and builds the mesh, the
 * private zone across regions and (standing in for each region's cockroach stack) the node rules.
 */
function threeRegionApp() {
  const app = Testing.app();
  const networks = REGIONS.map(
    ({ region, cockroach, ory }) =>
      new NetworkStack(app, {
        ...REFERENCE_PROPS,
        stackName: networkStackName(region),
        region,
        availabilityZones: ['a', 'b', 'c'].map((az) => `${region}${az}`),
        cockroachVpc: layout(cockroach, (i) => `${10 + i}.0/24`),
        oryVpc: layout(ory, (i) => `${16 * (i + 1)}.0/20`),
      }),
  );
  const global = new ProductStack(app, 'global', { stateBackend: { type: 'local' } });
  new AwsProvider(global, 'aws', { region: PRIMARY });
  const providers = new Map<string, AwsProvider>(REGIONS.map(({ region }) => [region, new AwsProvider(global, `aws-${region}`, { region, alias: region })]));
  const provider = (region: string) => providers.get(region) as AwsProvider;
  const outputs = new Map<string, RemoteOutputs<RegionalNetworkOutputs['outputs']>>(REGIONS.map(({ region }) => [region, global.readUpstream(regionalNetworkOutputs(networkStackName(region)))]));
  const outputsOf = (region: string) => outputs.get(region) as RemoteOutputs<RegionalNetworkOutputs['outputs']>;
  const mesh = new InterRegionPeeringMesh(global, 'cockroach-mesh', {
    namePrefix: 'crdb-ory-cockroach',
    vpcs: REGIONS.map(({ region }) => meshedCockroachVpc(outputsOf(region), { region, provider: provider(region), availabilityZoneCount: 3 })),
  });
  const zone = new PrivateZone(global, 'private-zone', {
    zoneName: 'crdb-ory.internal',
    vpcIds: [outputsOf(PRIMARY).cockroachVpcId, outputsOf(PRIMARY).oryVpcId],
    otherRegionVpcs: REGIONS.filter(({ region }) => region !== PRIMARY).flatMap(({ region }) => [
      { region, name: 'cockroach', vpcId: outputsOf(region).cockroachVpcId },
      { region, name: 'ory', vpcId: outputsOf(region).oryVpcId },
    ]),
  });
  for (const { region } of REGIONS) {
    const nodes = new SecurityGroup(global, `nodes-${region}`, { provider: provider(region), name: `nodes-${region}`, description: 'CockroachDB nodes', vpcId: outputsOf(region).cockroachVpcId });
    new InterRegionNodeRules(global, `node-rules-${region}`, {
      securityGroupId: nodes.id,
      region,
      provider: provider(region),
      regions: REGIONS.map(({ region: other }) => ({ region: other, cidr: outputsOf(other).cockroachVpcCidr })),
    });
  }
  return { app, networks, global, mesh, zone };
}

const built = threeRegionApp();
const template = Template.fromStack(built.global);

/** Every resource of `type`, with its Terraform name. */
function entries(type: string): Array<[string, any]> {
  return Object.entries(template.findResources(type));
}

describe('three regions: the inter-region peering mesh', () => {
  it('creates n·(n−1)/2 = 3 peering connections, each in the requester\'s region with the accepter\'s region as peer_region', () => {
    const connections = entries('aws_vpc_peering_connection').map(([, c]) => [c.provider, c.vpc_id, c.peer_vpc_id, c.peer_region, c.auto_accept, c.tags.Name]);
    expect(connections).toEqual([
      ['aws.us-east-1', remoteOutput('us-east-1', 'cockroachVpcId'), remoteOutput('us-east-2', 'cockroachVpcId'), 'us-east-2', false, 'crdb-ory-cockroach-us-east-1-to-us-east-2'],
      ['aws.us-east-1', remoteOutput('us-east-1', 'cockroachVpcId'), remoteOutput('us-west-2', 'cockroachVpcId'), 'us-west-2', false, 'crdb-ory-cockroach-us-east-1-to-us-west-2'],
      ['aws.us-east-2', remoteOutput('us-east-2', 'cockroachVpcId'), remoteOutput('us-west-2', 'cockroachVpcId'), 'us-west-2', false, 'crdb-ory-cockroach-us-east-2-to-us-west-2'],
    ]);
  });

  it('accepts each connection in the accepter\'s region, with auto_accept', () => {
    const connections = template.findResources('aws_vpc_peering_connection');
    const accepters = entries('aws_vpc_peering_connection_accepter');
    expect(accepters).toHaveLength(3);
    for (const [, accepter] of accepters) {
      const [connectionName] = /aws_vpc_peering_connection\.([^.]+)\.id/.exec(accepter.vpc_peering_connection_id)?.slice(1) ?? [];
      const connection = connections[connectionName as string];
      expect(accepter.auto_accept).toBe(true);
      expect(accepter.provider).toBe(`aws.${connection?.peer_region}`);
      expect(accepter.tags).toEqual(connection?.tags);
    }
  });

  it('turns DNS resolution on for each side in that side\'s region, once the connection is accepted', () => {
    const options = entries('aws_vpc_peering_connection_options').map(([, o]) => o);
    expect(options).toHaveLength(6);
    const accepterIds = entries('aws_vpc_peering_connection_accepter').map(([name]) => `\${aws_vpc_peering_connection_accepter.${name}.id}`);
    for (const option of options) expect(accepterIds).toContain(option.vpc_peering_connection_id);
    const connections = entries('aws_vpc_peering_connection').map(([, c]) => c);
    const sides = options.map((o) => [o.provider, o.requester ? 'requester' : 'accepter', (o.requester ?? o.accepter).allow_remote_vpc_dns_resolution]).sort();
    expect(sides).toEqual(
      connections
        .flatMap((c) => [
          [c.provider, 'requester', true],
          [`aws.${c.peer_region}`, 'accepter', true],
        ])
        .sort(),
    );
  });

  it('routes both ways: every private route table of every region reaches each other region\'s CockroachDB VPC, in its own region', () => {
    const routes = entries('aws_route').map(([, r]) => r);
    expect(routes).toHaveLength(3 * 2 * 3);
    for (const { region } of REGIONS) {
      for (const { region: other } of REGIONS.filter((r) => r.region !== region)) {
        const tables = routes.filter((r) => r.destination_cidr_block === remoteOutput(other, 'cockroachVpcCidr') && r.provider === `aws.${region}`).map((r) => r.route_table_id);
        expect(tables).toEqual([0, 1, 2].map((i) => `\${element(${remoteOutput(region, 'cockroachPrivateRouteTableIds').slice(2, -1)}, ${i})}`));
      }
    }
  });

  it('routes the requester\'s side through the connection and the accepter\'s side through the accepter resource (after acceptance)', () => {
    const routes = template.findResources('aws_route');
    for (const [name, route] of Object.entries(routes)) {
      const side = name.includes('requester-to-accepter') ? 'aws_vpc_peering_connection.' : 'aws_vpc_peering_connection_accepter.';
      expect(route.vpc_peering_connection_id, name).toContain(side);
    }
  });

  it('reads every input through the regions\' network contracts, so the global stack depends on the three network stacks', () => {
    expect(built.global.upstreamReads.map((read) => read.stackName)).toEqual(REGIONS.map(({ region }) => networkStackName(region)));
    expect(Object.keys(template.json['data']['terraform_remote_state']).sort()).toEqual(REGIONS.map(({ region }) => remoteStateId(networkStackName(region))).sort());
  });
});

describe('three regions: CockroachDB node rules by CIDR', () => {
  it('admits 26257 from, and sends 26257 to, each other region\'s CockroachDB VPC CIDR, in the node security group\'s region', () => {
    const ingress = entries('aws_vpc_security_group_ingress_rule').map(([, r]) => [r.provider, r.cidr_ipv4, r.from_port, r.to_port, r.ip_protocol]);
    const expected = REGIONS.flatMap(({ region }) => REGIONS.filter((r) => r.region !== region).map((other) => [`aws.${region}`, remoteOutput(other.region, 'cockroachVpcCidr'), 26257, 26257, 'tcp']));
    expect(ingress).toEqual(expected);
    const egress = entries('aws_vpc_security_group_egress_rule').map(([, r]) => [r.provider, r.cidr_ipv4, r.from_port, r.to_port, r.ip_protocol]);
    expect(egress).toEqual(expected);
  });

  it('references no security group across regions (AWS refuses that): every source is a CIDR', () => {
    for (const [, rule] of [...entries('aws_vpc_security_group_ingress_rule'), ...entries('aws_vpc_security_group_egress_rule')]) {
      expect(rule.referenced_security_group_id).toBeUndefined();
      expect(rule.cidr_ipv4).toMatch(/cockroach_vpc_cidr/);
    }
  });

  it('opens no other port unless asked, and the HTTP port only when listed', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    const rules = new InterRegionNodeRules(stack, 'rules', { securityGroupId: 'sg-1', region: 'a', regions: [{ region: 'a', cidr: '10.0.0.0/16' }, { region: 'b', cidr: '10.1.0.0/16' }], ports: [26257, 8080] });
    expect(rules.ingress.map((rule) => rule.node.id)).toEqual(['from-b-26257', 'from-b-8080']);
    expect(rules.egress.map((rule) => rule.node.id)).toEqual(['to-b-26257', 'to-b-8080']);
  });
});

describe('three regions: one private zone for every VPC', () => {
  it('creates the zone once, in the primary region, with that region\'s VPCs in-line and ignoring changes to them', () => {
    const zone = template.only('aws_route53_zone').config;
    expect(zone.provider).toBeUndefined();
    expect(zone.vpc).toEqual([{ vpc_id: remoteOutput(PRIMARY, 'cockroachVpcId') }, { vpc_id: remoteOutput(PRIMARY, 'oryVpcId') }]);
    expect(zone.lifecycle).toEqual({ ignore_changes: ['vpc'] });
  });

  it('associates both VPCs of every other region, with their vpc_region, and no authorization (same account)', () => {
    const zoneId = `\${${template.only('aws_route53_zone').address}.zone_id}`;
    const associations = entries('aws_route53_zone_association').map(([, a]) => [a.zone_id, a.vpc_id, a.vpc_region]);
    expect(associations).toEqual(
      REGIONS.filter(({ region }) => region !== PRIMARY).flatMap(({ region }) => [
        [zoneId, remoteOutput(region, 'cockroachVpcId'), region],
        [zoneId, remoteOutput(region, 'oryVpcId'), region],
      ]),
    );
    template.resourceCountIs('aws_route53_vpc_association_authorization', 0);
  });
});

describe('three regions: the policy pack', () => {
  const contextKnowingEveryRegion: PolicyContext = {
    vpcs: REGIONS.flatMap(({ region, cockroach, ory }) => [
      { role: 'cockroach' as const, cidr: cockroach, references: [remoteOutput(region, 'cockroachVpcCidr').slice(2, -1)] },
      { role: 'ory' as const, cidr: ory, references: [remoteOutput(region, 'oryVpcCidr').slice(2, -1)] },
    ]),
  };

  it('finds nothing in the global stack when the context declares every region\'s VPCs', () => {
    const report = evaluateStack(built.global, CRDB_ORY_PACK, contextKnowingEveryRegion);
    expect(report.rulesEvaluated).toBe(CRDB_ORY_PACK.rules.length);
    expect(report.findings).toEqual([]);
  });

  it('finds nothing in the regional network stacks either', () => {
    for (const network of built.networks) expect(evaluateStack(network, CRDB_ORY_PACK, contextKnowingEveryRegion).findings, network.node.id).toEqual([]);
  });

  it('fails closed on the cross-region rules when the app leaves the other regions out of the context (CRDB-SG-002)', () => {
    const primaryOnly: PolicyContext = { vpcs: contextKnowingEveryRegion.vpcs.filter((vpc) => vpc.references.some((ref) => ref.includes(networkStackName(PRIMARY)))) };
    const findings = evaluateStack(built.global, CRDB_ORY_PACK, primaryOnly).findings;
    // Of the 6 ingress rules, the 4 from us-east-2 and us-west-2 have sources the context cannot
    // place: the world-ingress rule and the CockroachDB-ports rule both fail closed on them.
    expect(findings.map((f) => f.ruleId).sort()).toEqual([...Array(4).fill('CRDB-SG-001'), ...Array(4).fill('CRDB-SG-002')]);
    for (const finding of findings) expect(finding.message).toMatch(/remote-state-network-us-(east-2|west-2)\.outputs\.cockroach_vpc_cidr/);
  });
});

describe('InterRegionVpcPeering and InterRegionPeeringMesh', () => {
  function sides(stack: TerraformStack) {
    const providers = new Map<string, AwsProvider>();
    const provider = (region: string) => providers.get(region) ?? providers.set(region, new AwsProvider(stack, `p-${region}`, { region, alias: region })).get(region) as AwsProvider;
    const side = (region: string, vpcId: string): RegionalPeeredVpc => ({ region, provider: provider(region), vpcId, cidrBlock: `10.${vpcId.length}.0.0/16`, routeTableIds: ['rtb-1'] });
    return side;
  }

  it('names each pair by its two regions, requested by the region that sorts first, whatever the order of the list', () => {
    const ids = (order: string[]) => {
      const stack = new TerraformStack(Testing.app(), 'x');
      const side = sides(stack);
      const mesh = new InterRegionPeeringMesh(stack, 'mesh', { namePrefix: 'p', vpcs: order.map((region) => side(region, `vpc-${region}`)) });
      return [...mesh.peerings.keys()];
    };
    expect(ids(['us-west-2', 'us-east-1', 'us-east-2'])).toEqual(['us-east-1-us-east-2', 'us-east-1-us-west-2', 'us-east-2-us-west-2']);
    expect(ids(['us-east-2', 'us-west-2', 'us-east-1'])).toEqual(ids(['us-east-1', 'us-east-2', 'us-west-2']));
    // Adding a region adds its pairs and leaves the others' addresses alone.
    expect(ids(['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1'])).toEqual(['eu-west-1-us-east-1', 'eu-west-1-us-east-2', 'eu-west-1-us-west-2', 'us-east-1-us-east-2', 'us-east-1-us-west-2', 'us-east-2-us-west-2']);
    expect(ids(['us-east-1'])).toEqual([]);
  });

  it('refuses two VPCs of one region in the mesh, and a region that is a Terraform reference, as one ValidationError', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    const side = sides(stack);
    const tokenRegion = Fn.lower('US-EAST-3');
    const error = (() => {
      try {
        new InterRegionPeeringMesh(stack, 'mesh', {
          namePrefix: 'p',
          vpcs: [side('us-east-1', 'vpc-a'), side('us-east-2', 'vpc-b'), { ...side('us-east-1', 'vpc-c') }, { ...side('us-east-3', 'vpc-d'), region: tokenRegion }],
        });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })() as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.constructPath).toBe('x/mesh');
    expect(error.problems).toEqual([
      { prop: 'vpcs[2].region', value: 'us-east-1', message: 'is also the region of vpcs[0]; the mesh joins one VPC per region' },
      { prop: 'vpcs[3].region', value: tokenRegion, message: "must be a literal region name (it names the peering's constructs and resources), not a Terraform reference" },
    ]);
  });

  it('refuses an inter-region peering within one region', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    const side = sides(stack);
    expect(() => new InterRegionVpcPeering(stack, 'peering', { name: 'p', requester: side('us-east-1', 'vpc-a'), accepter: { ...side('us-east-2', 'vpc-b'), region: 'us-east-1' } })).toThrow(
      /accepter\.region = "us-east-1": is the requester's region too; peer two VPCs of one region with VpcPeering/,
    );
  });

  it('leaves DNS resolution off when asked', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    const side = sides(stack);
    new InterRegionVpcPeering(stack, 'peering', { name: 'p', requester: side('us-east-1', 'vpc-a'), accepter: side('us-east-2', 'vpc-b'), allowRemoteVpcDnsResolution: false });
    const t = Template.fromStack(stack);
    t.resourceCountIs('aws_vpc_peering_connection_options', 0);
    t.resourceCountIs('aws_vpc_peering_connection_accepter', 1);
  });
});

describe('PrivateZone across regions', () => {
  it('refuses two VPCs of one region under one name', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    expect(
      () =>
        new PrivateZone(stack, 'zone', {
          zoneName: 'z.internal',
          vpcIds: ['vpc-1'],
          otherRegionVpcs: [
            { region: 'us-east-2', name: 'cockroach', vpcId: 'vpc-2' },
            { region: 'us-east-2', name: 'cockroach', vpcId: 'vpc-3' },
          ],
        }),
    ).toThrow(/otherRegionVpcs\[1\]\.name = "cockroach": is also the name of otherRegionVpcs\[0\] in us-east-2/);
  });
});

describe('regional network stacks', () => {
  it('publish NETWORK_OUTPUTS plus the private route tables under their own name', () => {
    const stack = built.networks[1] as NetworkStack;
    expect(stack.stackName).toBe('network-us-east-2');
    const json = Template.fromStack(stack).json;
    const expected = Object.keys(regionalNetworkOutputs('network-us-east-2').outputs).map(terraformOutputName);
    expect(Object.keys(json['output']).sort()).toEqual([...expected].sort());
    expect(expected).toEqual([...Object.keys(NETWORK_OUTPUTS.outputs).map(terraformOutputName), 'cockroach_private_route_table_ids']);
    const tables = stack.cockroachVpc.privateRouteTables.map((table) => `\${aws_route_table.${table.friendlyUniqueId}.id}`);
    expect(json['output']['cockroach_private_route_table_ids'].value).toEqual(tables);
    expect(json['provider']['aws'][0].region).toBe('us-east-2');
  });

  it('the single-region network stack keeps its name and NETWORK_OUTPUTS, without the route tables', () => {
    const stack = new NetworkStack(Testing.app(), REFERENCE_PROPS);
    expect(stack.stackName).toBe('network');
    expect(Object.keys(Template.fromStack(stack).json['output'])).not.toContain('cockroach_private_route_table_ids');
  });
});

/**
 * The global stack under real Terraform and the real hashicorp/aws 5.100.0 schema: `terraform
 * test` (which validates the configuration first) plans it with mocked aws providers for every
 * alias and the three network states overridden with example outputs, and checks what the plan
 * resolves: a route table taken from the remote list, an association's VPC.
 */
describe('three regions: the global stack under real Terraform (terraform test, mocked providers)', () => {
  const mirror = findProviderMirror(AWS_PROVIDER);
  const dir = mkdtempSync(join(tmpdir(), 'network-mesh-'));
  let output = '';
  const regionIndex = (region: string) => REGIONS.findIndex((r) => r.region === region) + 1;
  const tables = (region: string) => ['a', 'b', 'c'].map((az) => `rtb-${regionIndex(region)}${az}`);
  const routeName = Object.entries(template.findResources('aws_route')).find(([, r]) => r.provider === 'aws.us-east-2' && r.route_table_id.includes(', 1)}'))?.[0];
  const association = Object.entries(template.findResources('aws_route53_zone_association')).find(([, a]) => a.vpc_region === 'us-west-2')?.[0];

  beforeAll(() => {
    if (!mirror) throw new Error('no filesystem mirror of hashicorp/aws 5.100.0 found (set TF_PROVIDER_MIRROR)');
    // The local backend is left out: `init -backend=false` would ignore it anyway.
    const terraform = Object.fromEntries(Object.entries(template.json['terraform']).filter(([key]) => key !== 'backend'));
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ ...template.json, terraform }, null, 1));
    const cliConfigFile = writeMirrorCliConfig(dir, mirror, [AWS_PROVIDER]);
    const init = runTerraform(['init', '-backend=false', '-input=false'], { cwd: dir, cliConfigFile, env: GO_RUNTIME_ENV });
    if (!init.ok) throw new Error(`terraform init failed:\n${init.output}`);
    const overrides = REGIONS.map(({ region, cockroach, ory }) =>
      [
        'override_data {',
        `  target = data.terraform_remote_state.${remoteStateId(networkStackName(region))}`,
        `  values = { outputs = ${JSON.stringify({ cockroach_vpc_id: `vpc-${regionIndex(region)}c`, cockroach_vpc_cidr: cockroach, cockroach_private_route_table_ids: tables(region), ory_vpc_id: `vpc-${regionIndex(region)}o`, ory_vpc_cidr: ory })
          .replace(/"([a-z_]+)":/g, '$1 = ')} }`,
        '}',
      ].join('\n'),
    );
    const mocks = ['mock_provider "aws" {}', ...REGIONS.map(({ region }) => `mock_provider "aws" {\n  alias = "${region}"\n}`)];
    const run = [
      'run "mesh" {',
      '  command = plan',
      '  assert {',
      `    condition     = aws_route.${routeName}.route_table_id == "${tables('us-east-2')[1]}"`,
      '    error_message = "the second route table of us-east-2 comes from its network contract"',
      '  }',
      '  assert {',
      `    condition     = aws_route53_zone_association.${association}.vpc_id == "vpc-3c" || aws_route53_zone_association.${association}.vpc_id == "vpc-3o"`,
      '    error_message = "us-west-2 VPCs are associated with the zone"',
      '  }',
      '}',
    ];
    mkdirSync(join(dir, 'tests'));
    writeFileSync(join(dir, 'tests', 'mesh.tftest.hcl'), [...mocks, ...overrides, run.join('\n')].join('\n\n'));
    output = runTerraform(['test'], { cwd: dir, cliConfigFile, env: GO_RUNTIME_ENV, timeoutSeconds: 300 }).output;
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('plans against the provider schema with mocked providers, resolving the routes and associations from the three contracts', () => {
    expect(routeName).toBeDefined();
    expect(association).toBeDefined();
    expect(output).toMatch(/run "mesh"\.\.\. pass/);
    expect(output).toMatch(/1 passed, 0 failed/);
  });
});
