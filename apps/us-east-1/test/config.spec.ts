import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, describeConfigSource, loadConfig, readConfig, resolveConfig } from '../src/config';
import { withOperatorAccess } from './helpers';

/** The message of the ConfigError that `run` throws; fails the test if it throws nothing else. */
function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

const withNetwork = (network: Record<string, unknown>) => ({ network });

describe('configuration defaults', () => {
  it('reproduce the reference architecture in us-east-1', () => {
    const config = resolveConfig(undefined);
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(config.region).toBe('us-east-1');
    expect(config.availabilityZones).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(config.stateBackend).toEqual({ type: 'local' });
    expect(config.eks).toMatchObject({ nodeInstanceType: 'm5.xlarge', nodeDesiredSize: 3, nodeMinSize: 1, nodeMaxSize: 4 });
  });

  it('merge nested overrides key by key and replace arrays', () => {
    const config = resolveConfig(withOperatorAccess({ network: { natGateways: 'single', oryVpc: { cidr: '10.30.0.0/16', publicSubnetCidrs: ['10.30.0.0/24', '10.30.1.0/24', '10.30.2.0/24'], privateSubnetCidrs: ['10.30.16.0/20', '10.30.32.0/20', '10.30.48.0/20'] } } }));
    expect(config.network.natGateways).toBe('single');
    expect(config.network.oryVpc.cidr).toBe('10.30.0.0/16');
    expect(config.network.cockroachVpc).toEqual(DEFAULT_CONFIG.network.cockroachVpc);
    expect(config.network.flowLogsRetentionDays).toBe(365);
  });

  it('give an S3 state backend the deployment region and the default key prefix', () => {
    const config = resolveConfig(withOperatorAccess({ region: 'eu-west-1', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], stateBackend: { type: 's3', bucket: 'my-state' } }));
    expect(config.stateBackend).toEqual({ type: 's3', bucket: 'my-state', region: 'eu-west-1', keyPrefix: 'crdb-ory' });
  });
});

describe('configuration rules: each names the setting, the value and what is allowed', () => {
  it('rejects fewer than three availability zones', () => {
    expect(configError(() => resolveConfig({ availabilityZones: ['us-east-1a', 'us-east-1b'] }))).toContain(
      'availabilityZones: must list exactly 3 availability zones, one per CockroachDB node (got ["us-east-1a","us-east-1b"])',
    );
  });

  it('rejects more than three availability zones', () => {
    expect(configError(() => resolveConfig({ availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d'] }))).toContain(
      'availabilityZones: must list exactly 3 availability zones',
    );
  });

  it('rejects an availability zone outside the region', () => {
    expect(configError(() => resolveConfig({ availabilityZones: ['us-east-1a', 'us-west-2b', 'us-east-1c'] }))).toContain(
      'availabilityZones[1]: is not an availability zone of us-east-1; us-east-1 has us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f (got "us-west-2b")',
    );
  });

  it('rejects the same availability zone twice', () => {
    expect(configError(() => resolveConfig({ availabilityZones: ['us-east-1a', 'us-east-1a', 'us-east-1c'] }))).toContain('availabilityZones[1]: is listed twice; each availability zone holds one subnet of each tier');
  });

  it.each([
    ['not a CIDR at all', 'ten.zero/16', 'is not an IPv4 CIDR block (expected a.b.c.d/n)'],
    ['an octet above 255', '10.300.0.0/16', 'has an octet above 255'],
    ['a prefix above 32', '10.0.0.0/33', 'has a prefix length above 32'],
    ['host bits set', '10.10.0.1/16', 'has host bits set (the network address is 10.10.0.0/16)'],
  ])('rejects a malformed VPC CIDR: %s', (_, cidr, reason) => {
    const message = configError(() => resolveConfig(withNetwork({ cockroachVpc: { cidr } })));
    expect(message).toContain(`network.cockroachVpc.cidr: ${reason}; expected an IPv4 CIDR block like 10.0.0.0/16 (got "${cidr}")`);
  });

  it('rejects a malformed subnet CIDR, naming its position', () => {
    const message = configError(() => resolveConfig(withNetwork({ oryVpc: { privateSubnetCidrs: ['10.20.16.0/20', '10.20.32/20', '10.20.48.0/20'] } })));
    expect(message).toContain('network.oryVpc.privateSubnetCidrs[1]: is not an IPv4 CIDR block');
    expect(message).toContain('(got "10.20.32/20")');
  });

  it('rejects a malformed public access CIDR', () => {
    expect(configError(() => resolveConfig({ publicAccessCidrs: ['203.0.113.0/33'] }))).toContain('publicAccessCidrs[0]: has a prefix length above 32');
  });

  it('rejects overlapping VPC CIDRs', () => {
    const message = configError(() =>
      resolveConfig(withNetwork({ oryVpc: { cidr: '10.10.128.0/17', publicSubnetCidrs: ['10.10.128.0/24', '10.10.129.0/24', '10.10.130.0/24'], privateSubnetCidrs: ['10.10.144.0/20', '10.10.160.0/20', '10.10.176.0/20'] } })),
    );
    expect(message).toContain(
      'network.oryVpc.cidr: lies inside network.cockroachVpc.cidr 10.10.0.0/16 (the CockroachDB VPC of us-east-1); the two are peered, and AWS refuses a peering between VPCs whose IPv4 blocks overlap. Allowed: a block that overlaps none of the 2 VPCs, e.g. 10.0.0.0/17 (got "10.10.128.0/17")',
    );
  });

  it('rejects a subnet that does not fit its VPC', () => {
    const message = configError(() => resolveConfig(withNetwork({ cockroachVpc: { privateSubnetCidrs: ['10.10.10.0/24', '10.11.11.0/24', '10.10.12.0/24'] } })));
    expect(message).toContain('network.cockroachVpc.privateSubnetCidrs[1]: does not fit in its VPC 10.10.0.0/16 (got "10.11.11.0/24")');
  });

  it('rejects overlapping subnets, across tiers too', () => {
    const message = configError(() => resolveConfig(withNetwork({ cockroachVpc: { privateSubnetCidrs: ['10.10.0.0/24', '10.10.11.0/24', '10.10.12.0/24'] } })));
    expect(message).toContain('network.cockroachVpc.privateSubnetCidrs[0]: overlaps network.cockroachVpc.publicSubnetCidrs[0] 10.10.0.0/24 (got "10.10.0.0/24")');
  });

  it('rejects a subnet list that is not one per availability zone', () => {
    const message = configError(() => resolveConfig(withNetwork({ oryVpc: { publicSubnetCidrs: ['10.20.0.0/24'] } })));
    expect(message).toContain('network.oryVpc.publicSubnetCidrs: must list exactly 3 subnets, one per availability zone in order (got ["10.20.0.0/24"])');
  });

  it('rejects subnets outside the AWS size limits', () => {
    const message = configError(() => resolveConfig(withNetwork({ cockroachVpc: { privateSubnetCidrs: ['10.10.10.0/29', '10.10.11.0/24', '10.10.12.0/24'] } })));
    expect(message).toContain('network.cockroachVpc.privateSubnetCidrs[0]: must have a prefix length from /16 to /28 (AWS subnet limits) (got "10.10.10.0/29")');
  });

  it('rejects unknown keys at the top level and nested, listing the allowed keys', () => {
    const top = configError(() => resolveConfig({ regoin: 'us-east-1' }));
    expect(top).toContain('regoin: is not a known setting; allowed here: region, availabilityZones');
    const nested = configError(() => resolveConfig(withNetwork({ natGateway: 'single' })));
    expect(nested).toContain('network.natGateway: is not a known setting; allowed here: cockroachVpc, oryVpc, natGateways, flowLogsRetentionDays, privateZoneName');
  });

  it('lists optional settings (no default) among the allowed keys, and the keys of the chosen backend type', () => {
    expect(configError(() => resolveConfig({ ory: { hydra: { issuerUrll: 'https://x' } } }))).toMatch(/ory\.hydra\.issuerUrll: is not a known setting; allowed here: .*\bissuerUrl\b/);
    expect(configError(() => resolveConfig({ stateBackend: { type: 's3', bucket: 'acme-tfstate', kmsKey: 'k' } }))).toContain(
      'stateBackend.kmsKey: is not a known setting; allowed here: type, bucket, region, keyPrefix',
    );
  });

  it('rejects a NAT mode that does not exist', () => {
    const message = configError(() => resolveConfig(withNetwork({ natGateways: 'none' })));
    expect(message).toMatch(/network\.natGateways: .*"per-az".*"single".* \(got "none"\)/);
  });

  it('rejects a flow logs retention CloudWatch Logs does not offer', () => {
    expect(configError(() => resolveConfig(withNetwork({ flowLogsRetentionDays: 10 })))).toContain(
      'network.flowLogsRetentionDays: must be one of the CloudWatch Logs retention periods: 1, 3, 5, 7, 14, 30',
    );
  });

  it('rejects a malformed region and zone name', () => {
    expect(configError(() => resolveConfig({ region: 'US East' }))).toContain('region: must be an AWS region like us-east-1 (got "US East")');
    expect(configError(() => resolveConfig(withNetwork({ privateZoneName: 'Not_A_Zone' })))).toContain('network.privateZoneName: must be a lowercase DNS name like example.com (got "Not_A_Zone")');
  });

  it('rejects an S3 state backend without a valid bucket name', () => {
    expect(configError(() => resolveConfig({ stateBackend: { type: 's3', bucket: 'Bad_Bucket' } }))).toContain('stateBackend.bucket: must be an S3 bucket name');
  });

  it('rejects a configuration that is not an object', () => {
    expect(configError(() => resolveConfig(['us-east-1']))).toContain('(root): must be a JSON object of settings (got ["us-east-1"])');
  });

  it('reports every problem of a kind at once', () => {
    const structural = configError(() => resolveConfig({ region: 'nowhere', network: { natGateways: 'none' } }));
    expect(structural).toContain('region:');
    expect(structural).toContain('network.natGateways:');
    const rules = configError(() => resolveConfig({ availabilityZones: ['us-east-1a'], network: { oryVpc: { cidr: '10.10.0.0/16' } } }));
    expect(rules).toContain('availabilityZones:');
    expect(rules).toContain('network.oryVpc.cidr: is the same block as network.cockroachVpc.cidr');
  });
});

describe('loading the configuration file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crdb-ory-config-'));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('uses the defaults when there is no file and no variable', () => {
    expect(loadConfig({}, mkdtempSync(join(tmpdir(), 'crdb-ory-empty-')))).toEqual(DEFAULT_CONFIG);
  });

  it('reads crdb-ory.config.json from the working directory', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'crdb-ory-cwd-'));
    writeFileSync(join(cwd, 'crdb-ory.config.json'), JSON.stringify(withOperatorAccess({ namePrefix: 'acme-idp' })));
    expect(loadConfig({}, cwd).namePrefix).toBe('acme-idp');
  });

  it('reads the file CRDB_ORY_CONFIG names, before the default file', () => {
    const path = file('explicit.json', JSON.stringify(withOperatorAccess({ network: { natGateways: 'single' } })));
    expect(loadConfig({ CRDB_ORY_CONFIG: path }, dir).network.natGateways).toBe('single');
  });

  it('fails when CRDB_ORY_CONFIG points nowhere', () => {
    const missing = join(dir, 'missing.json');
    expect(configError(() => loadConfig({ CRDB_ORY_CONFIG: missing }, dir))).toContain(`CRDB_ORY_CONFIG: names a file that does not exist (got "${missing}")`);
  });

  it('fails on a file that is not JSON, naming the file', () => {
    const path = file('broken.json', '{ "region": ');
    const message = configError(() => loadConfig({ CRDB_ORY_CONFIG: path }, dir));
    expect(message).toContain(`Invalid configuration (${path})`);
    expect(message).toContain('is not valid JSON');
  });

  it('names the file a bad setting came from', () => {
    const path = file('bad-az.json', JSON.stringify({ availabilityZones: ['us-east-1a'] }));
    expect(configError(() => loadConfig({ CRDB_ORY_CONFIG: path }, dir))).toContain(`Invalid configuration (${path}):\n  - availabilityZones: must list exactly 3`);
  });
});

describe('config files that JSON.parse would accept silently, or not at all (each a config error naming the setting)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crdb-ory-config-file-'));
  const load = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return configError(() => loadConfig({ CRDB_ORY_CONFIG: path }, dir));
  };

  it('rejects a "__proto__" key, which would otherwise set values past the unknown-key check', () => {
    const message = load('proto.json', '{ "__proto__": { "region": "eu-west-1" } }');
    expect(message).toContain('__proto__: is not allowed: "__proto__" is never a setting (line 1)');
    const nested = load('proto-nested.json', '{ "network": {\n  "__proto__": { "natGateways": "single" } } }');
    expect(nested).toContain('network.__proto__: is not allowed');
  });

  it('rejects a "__proto__" key in overrides given as an object, too', () => {
    expect(configError(() => resolveConfig(JSON.parse('{ "eks": { "__proto__": { "clusterName": "x" } } }')))).toContain('eks.__proto__: is not allowed');
  });

  it('rejects a key given twice in one object, naming both lines', () => {
    const message = load('dup.json', '{\n  "network": {\n    "natGateways": "single",\n    "natGateways": "per-az"\n  }\n}\n');
    expect(message).toContain('network.natGateways: is given twice (lines 3 and 4); each key may appear once per object');
  });

  it('accepts the same key in different objects', () => {
    const path = join(dir, 'same-key.json');
    writeFileSync(path, JSON.stringify({ network: { cockroachVpc: { cidr: '10.10.0.0/16' }, oryVpc: { cidr: '10.20.0.0/16' } } }));
    expect(loadConfig({ CRDB_ORY_CONFIG: path }, dir).network.oryVpc.cidr).toBe('10.20.0.0/16');
  });

  it('rejects a number JSON cannot carry (1e400), with the value as written and the allowed range', () => {
    // The ranges are the libraries' rules (eks: eksNodeGroupProblems, cockroach: gp3VolumeProblems), not the schema's: the schema says what it knows.
    expect(load('huge.json', '{ "eks": { "nodeRootVolumeSizeGiB": 1e400 } }')).toContain('eks.nodeRootVolumeSizeGiB: must be a finite number: an integer (got 1e400)');
    expect(load('huge.json', '{ "cockroach": { "dataVolume": { "sizeGiB": 1e400 } } }')).toContain('cockroach.dataVolume.sizeGiB: must be a finite number: an integer (got 1e400)');
  });

  it('rejects non-finite numbers given as objects, generically', () => {
    const message = configError(() => resolveConfig({ eks: { nodeMaxSize: Infinity }, network: { flowLogsRetentionDays: Number.NaN } }));
    expect(message).toContain('eks.nodeMaxSize: must be a finite number: an integer (got Infinity)');
    expect(message).toContain('network.flowLogsRetentionDays: must be a finite number');
    expect(message).toContain('(got NaN)');
  });

  it('lists the allowed state backend types for an unknown one', () => {
    expect(load('gcs.json', '{ "stateBackend": { "type": "gcs" } }')).toContain('stateBackend.type: must be one of "local", "s3" (got "gcs")');
  });

  it('says an s3 state backend needs its bucket', () => {
    expect(load('s3.json', '{ "stateBackend": { "type": "s3" } }')).toContain(
      'stateBackend.bucket: is required for an s3 state backend: the name of the bucket the state stack created (its bucket_name output)',
    );
  });

  it('names the expected kind of value instead of "Invalid input"', () => {
    const message = configError(() => resolveConfig({ stateBackend: 'local', eks: { nodeMaxSize: '4' } }));
    expect(message).toContain('stateBackend: must be an object, not a string (got "local")');
    expect(message).toContain('eks.nodeMaxSize: must be a number, not a string (got "4")');
  });

  it('rejects a UTF-8 byte order mark, saying how to save the file', () => {
    expect(load('bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{ "region": "us-east-1" }')]))).toContain(
      '(file): starts with a UTF-8 byte order mark (bytes EF BB BF); allowed: plain UTF-8 JSON without a byte order mark',
    );
  });

  it('rejects a directory given as CRDB_ORY_CONFIG', () => {
    const sub = mkdtempSync(join(dir, 'a-dir-'));
    expect(configError(() => loadConfig({ CRDB_ORY_CONFIG: sub }, dir))).toContain(`CRDB_ORY_CONFIG: names a directory, not a file; allowed: the path of a JSON config file`);
  });

  it('gives the line and column of a JSON syntax error', () => {
    expect(load('syntax.json', '{\n  "region": "us-east-1",\n}\n')).toContain('(file): is not valid JSON: unexpected "}", expected a key in double quotes at line 3, column 1');
  });
});

describe('an empty CRDB_ORY_CONFIG', () => {
  it('is an error naming the variable, never the defaults over an invalid root file', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'crdb-ory-empty-var-'));
    writeFileSync(join(cwd, 'crdb-ory.config.json'), '{ "region": "nowhere" }');
    const message = configError(() => loadConfig({ CRDB_ORY_CONFIG: '' }, cwd));
    expect(message).toContain('CRDB_ORY_CONFIG: is set but empty: set it to the path of a JSON config file, or unset it to read crdb-ory.config.json');
    expect(configError(() => loadConfig({ CRDB_ORY_CONFIG: '  ' }, cwd))).toContain('CRDB_ORY_CONFIG: is set but empty');
    // Unset, the root file is read (and here rejected).
    expect(configError(() => loadConfig({}, cwd))).toContain('region: must be an AWS region');
  });

  it('resolves a relative CRDB_ORY_CONFIG against the working directory given', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'crdb-ory-relative-'));
    // The defaults' own values: deployable whatever other rules say about non-default configurations.
    const content = JSON.stringify({ region: 'us-east-1', network: { natGateways: 'ory-per-az' } });
    writeFileSync(join(cwd, 'prod.json'), content);
    const loaded = readConfig({ CRDB_ORY_CONFIG: 'prod.json' }, cwd);
    expect(loaded.config).toEqual(DEFAULT_CONFIG);
    expect(loaded.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(loaded.source).toEqual({ kind: 'file', path: join(cwd, 'prod.json'), via: 'env' });
    expect(describeConfigSource(loaded.source, cwd)).toBe('prod.json (named by CRDB_ORY_CONFIG)');
    expect(describeConfigSource(loaded.source, tmpdir() + '/elsewhere')).toBe('prod.json (outside the project) (named by CRDB_ORY_CONFIG)');
  });
});
