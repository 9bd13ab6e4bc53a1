import { ConfigError, type ConfigIssue, DEFAULT_CONFIG } from '@crdb-ory/deployment';
import { describe, expect, it } from 'vitest';
import { MULTI_REGION_DEFAULTS, regionEntry, regionView, regionalNamePrefix, resolveMultiRegionConfig } from '../src/config';

/** The issues a configuration is refused with (none: accepted). */
function issuesOf(overrides: unknown): ConfigIssue[] {
  try {
    resolveMultiRegionConfig(overrides);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
}

/** `overrides` with operator access to the EKS API: a configuration other than the defaults needs it (the shared eks rule). */
function deployable(overrides: Record<string, unknown>): Record<string, unknown> {
  return { eks: { endpointPrivateAccessCidrs: ['10.99.0.0/16'] }, ...overrides };
}

/** The default regions with `change` applied to entry `index`. */
function regionsWith(index: number, change: (entry: Record<string, any>) => Record<string, any>): unknown[] {
  return MULTI_REGION_DEFAULTS.regions.map((entry, i) => (i === index ? change(structuredClone(entry) as Record<string, any>) : entry));
}

describe('the multi-region configuration', () => {
  it('defaults to us-east-1 (primary), us-east-2 (secondary) and us-west-2, three AZs each, with the address plan of docs/network.md', () => {
    const config = resolveMultiRegionConfig(undefined);
    expect(config.regions.map((r) => [r.region, r.availabilityZones, r.cockroachVpc.cidr, r.oryVpc.cidr])).toEqual([
      ['us-east-1', ['us-east-1a', 'us-east-1b', 'us-east-1c'], '10.10.0.0/16', '10.20.0.0/16'],
      ['us-east-2', ['us-east-2a', 'us-east-2b', 'us-east-2c'], '10.11.0.0/16', '10.21.0.0/16'],
      ['us-west-2', ['us-west-2a', 'us-west-2b', 'us-west-2c'], '10.12.0.0/16', '10.22.0.0/16'],
    ]);
    expect([config.primaryRegion, config.secondaryRegion, config.survivalGoal]).toEqual(['us-east-1', 'us-east-2', 'region']);
  });

  it('builds the primary region from exactly the single-region defaults, and names the other regions\' resources apart (IAM names are per account)', () => {
    const config = resolveMultiRegionConfig(undefined);
    expect(regionView(config, regionEntry(config))).toEqual(DEFAULT_CONFIG);
    expect(config.regions.map((r) => regionalNamePrefix(config, r.region))).toEqual(['crdb-ory', 'crdb-ory-us-east-2', 'crdb-ory-us-west-2']);
    expect(regionView(config, regionEntry(config, 'us-west-2')).network.privateZoneName).toBe('us-west-2.crdb-ory.internal');
  });

  it('refuses a region without exactly three availability zones, naming the region\'s setting', () => {
    const issues = issuesOf(deployable({ regions: regionsWith(1, (r) => ({ ...r, availabilityZones: ['us-east-2a', 'us-east-2b'] })) }));
    expect(issues).toContainEqual(expect.objectContaining({ setting: 'regions[1].availabilityZones', value: ['us-east-2a', 'us-east-2b'], message: expect.stringMatching(/exactly 3 availability zones/) }));
  });

  it('refuses an availability zone of another region, naming the region\'s setting', () => {
    const issues = issuesOf(deployable({ regions: regionsWith(2, (r) => ({ ...r, availabilityZones: ['us-west-2a', 'us-west-2b', 'us-east-1c'] })) }));
    expect(issues.map((i) => i.setting)).toContain('regions[2].availabilityZones[2]');
    expect(issues.find((i) => i.setting === 'regions[2].availabilityZones[2]')).toMatchObject({ value: 'us-east-1c' });
  });

  it('refuses overlapping VPC blocks across regions (the network library\'s address-plan rule), naming both settings', () => {
    const issues = issuesOf(deployable({ regions: regionsWith(2, (r) => ({ ...r, cockroachVpc: { cidr: '10.10.0.0/16', publicSubnetCidrs: ['10.10.0.0/24', '10.10.1.0/24', '10.10.2.0/24'], privateSubnetCidrs: ['10.10.10.0/24', '10.10.11.0/24', '10.10.12.0/24'] } })) }));
    const overlap = issues.find((i) => i.setting === 'regions[2].cockroachVpc.cidr');
    expect(overlap).toMatchObject({ value: '10.10.0.0/16' });
    expect(overlap?.message).toMatch(/is the same block as regions\[0\]\.cockroachVpc\.cidr 10\.10\.0\.0\/16.*peered.*6 VPCs, e\.g\. 10\.0\.0\.0\/16/);
  });

  it('refuses Ory VPCs of two regions that overlap, though they are not peered', () => {
    const issues = issuesOf(deployable({ regions: regionsWith(1, (r) => ({ ...r, oryVpc: { ...r['oryVpc'], cidr: '10.20.0.0/15', publicSubnetCidrs: ['10.21.0.0/24', '10.21.1.0/24', '10.21.2.0/24'], privateSubnetCidrs: ['10.21.16.0/20', '10.21.32.0/20', '10.21.48.0/20'] } })) }));
    expect(issues.map((i) => i.setting)).toContain('regions[1].oryVpc.cidr');
  });

  it('refuses a survival goal other than REGION with three regions, and REGION with two', () => {
    expect(issuesOf(deployable({ survivalGoal: 'zone' }))).toEqual([expect.objectContaining({ setting: 'survivalGoal', value: 'zone', message: expect.stringMatching(/must be "region" with 3 regions/) })]);
    const two = MULTI_REGION_DEFAULTS.regions.slice(0, 2);
    expect(issuesOf(deployable({ regions: two }))).toEqual([expect.objectContaining({ setting: 'survivalGoal', value: 'region', message: expect.stringMatching(/must be "zone" with 2 regions.*at least three/) })]);
    expect(issuesOf(deployable({ regions: two, survivalGoal: 'zone' }))).toEqual([]);
  });

  it('refuses migrations in more than one region, or in another region than the primary', () => {
    expect(issuesOf(deployable({ oryMigrationRegions: ['us-east-1', 'us-west-2'] }))).toEqual([expect.objectContaining({ setting: 'oryMigrationRegions', value: ['us-east-1', 'us-west-2'], message: expect.stringMatching(/exactly one region, the primary region \(us-east-1\)/) })]);
    expect(issuesOf(deployable({ oryMigrationRegions: ['us-west-2'] })).map((i) => i.setting)).toEqual(['oryMigrationRegions']);
    expect(issuesOf(deployable({ oryMigrationRegions: ['us-east-1'] }))).toEqual([]);
  });

  it('judges the migration regions by the Ory library\'s rule (one runner, which every other region names), and says why', () => {
    expect(issuesOf(deployable({ oryMigrationRegions: [] }))).toEqual([
      expect.objectContaining({ setting: 'oryMigrationRegions', value: [], message: expect.stringMatching(/exactly one region's Ory stack must run the migrations \(migrationsRunBy unset\); 0 do/) }),
    ]);
    expect(issuesOf(deployable({ oryMigrationRegions: ['us-east-1', 'us-west-2'] }))[0]?.message).toMatch(/; 2 do$/);
  });

  it('refuses public DNS without monitoring: its health checks follow the regions\' alarms', () => {
    const publicDns = { domain: 'example.com', publicAccessCidrs: ['203.0.113.0/24'], monitoring: { enabled: false, disabledReason: 'a test without alarms' } };
    expect(issuesOf(deployable(publicDns))).toContainEqual(expect.objectContaining({ setting: 'monitoring.enabled', value: false, message: expect.stringMatching(/health checks that follow each region's "no healthy targets" alarm/) }));
    expect(issuesOf(deployable({ ...publicDns, publicAccessCidrs: [] })).map((i) => i.setting)).not.toContain('monitoring.enabled');
  });

  it('routes public traffic by failover unless ory.publicRouting says "latency", and refuses anything else', () => {
    expect(resolveMultiRegionConfig(undefined).ory.publicRouting).toBe('failover');
    expect(resolveMultiRegionConfig(deployable({ ory: { publicRouting: 'latency' } })).ory.publicRouting).toBe('latency');
    expect(issuesOf(deployable({ ory: { publicRouting: 'geo' } }))).toEqual([expect.objectContaining({ setting: 'ory.publicRouting', value: 'geo' })]);
    // The single-region view of a region keeps the single-region settings only.
    expect(regionView(resolveMultiRegionConfig(undefined), MULTI_REGION_DEFAULTS.regions[1] as never).ory).not.toHaveProperty('publicRouting');
  });

  it('refuses a region listed twice, and a primary or secondary region that is not listed or is the same', () => {
    const twice = issuesOf(deployable({ regions: regionsWith(2, () => structuredClone(MULTI_REGION_DEFAULTS.regions[1])) }));
    expect(twice).toContainEqual(expect.objectContaining({ setting: 'regions[2].region', value: 'us-east-2', message: expect.stringMatching(/also regions\[1\]\.region/) }));
    expect(issuesOf(deployable({ primaryRegion: 'eu-west-1' }))).toContainEqual(expect.objectContaining({ setting: 'primaryRegion', value: 'eu-west-1', message: expect.stringMatching(/one of regions\[\]\.region \(us-east-1, us-east-2, us-west-2\)/) }));
    expect(issuesOf(deployable({ secondaryRegion: 'us-east-1' }))).toContainEqual(expect.objectContaining({ setting: 'secondaryRegion', message: expect.stringMatching(/must differ from primaryRegion/) }));
  });

  it('checks every shared setting by the single-region rule, reported once for all regions', () => {
    const issues = issuesOf(deployable({ cockroach: { instanceType: 't3.large' } }));
    expect(issues.filter((i) => i.setting === 'cockroach.instanceType')).toHaveLength(1);
  });

  it('names an unknown setting and what is allowed where it was found', () => {
    const issues = issuesOf({ region: 'us-east-1' });
    expect(issues).toEqual([expect.objectContaining({ setting: 'region', message: expect.stringMatching(/not a known setting; allowed here: .*regions.*primaryRegion/) })]);
  });
});
