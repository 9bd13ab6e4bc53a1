import { describe, expect, it } from 'vitest';
import { GO_RUNTIME_ENV } from '@crdb-ory/terraform-harness';
import { EMULATED_SERVICES, emulatorEnv, emulatorOverrides } from '../src';

const ENDPOINT = 'https://127.0.0.1:4567';
const s3Stack = {
  provider: { aws: [{ region: 'us-east-1', default_tags: [{ tags: { Project: 'x' } }] }] },
  terraform: { backend: { s3: { bucket: 'state', key: 'p/cockroach.tfstate', region: 'us-east-1', use_lockfile: true, encrypt: true } } },
  data: { terraform_remote_state: { 'remote-state-network': { backend: 's3', config: { bucket: 'state', key: 'p/network.tfstate', region: 'us-east-1' } } } },
};

/** One override file emulatorOverrides wrote; a missing one fails the test with its name. */
function written(files: ReturnType<typeof emulatorOverrides>, file: string) {
  const content = files[file];
  if (content === undefined) throw new Error(`${file} was not written`);
  return content;
}

describe('emulatorOverrides', () => {
  it('points every AWS service of the provider at the emulator, and nothing else of the provider changes', () => {
    const files = emulatorOverrides(s3Stack, ENDPOINT);
    const provider = written(files, 'emulator_provider_override.tf.json')['provider']['aws'][0];
    expect(Object.keys(provider).sort()).toEqual(['endpoints', 's3_use_path_style', 'skip_metadata_api_check']);
    expect(Object.values(provider.endpoints[0])).toEqual(EMULATED_SERVICES.map(() => ENDPOINT));
  });

  it('points every provider of a multi-region stack at the emulator, each region and alias as synthesized (one server serves every region)', () => {
    const stack = { ...s3Stack, provider: { aws: [{ region: 'us-east-1' }, ...['us-east-1', 'us-east-2', 'us-west-2'].map((region) => ({ alias: region, region }))] } };
    const providers = written(emulatorOverrides(stack, ENDPOINT), 'emulator_provider_override.tf.json')['provider']['aws'];
    expect(providers.map((provider: { alias?: string }) => provider.alias)).toEqual([undefined, 'us-east-1', 'us-east-2', 'us-west-2']);
    for (const provider of providers) expect(Object.values(provider.endpoints[0])).toEqual(EMULATED_SERVICES.map(() => ENDPOINT));
  });

  it('keeps the S3 backend as synthesized (bucket, key, lock file, encryption) and adds the emulator endpoints', () => {
    const backend = written(emulatorOverrides(s3Stack, ENDPOINT), 'emulator_backend_override.tf.json')['terraform']['backend']['s3'];
    expect(backend).toEqual({ ...s3Stack.terraform.backend.s3, endpoints: { s3: ENDPOINT, sts: ENDPOINT, iam: ENDPOINT }, use_path_style: true });
  });

  it('reads remote state from the emulator, with the synthesized key', () => {
    const read = written(emulatorOverrides(s3Stack, ENDPOINT), 'emulator_remote_state_override.tf.json')['data']['terraform_remote_state']['remote-state-network'];
    expect(read.config).toMatchObject({ bucket: 'state', key: 'p/network.tfstate', endpoints: { s3: ENDPOINT } });
  });

  it('keeps a local backend in the scratch folder', () => {
    const files = emulatorOverrides({ provider: s3Stack.provider, terraform: { backend: { local: { path: '../../../terraform.state.tfstate' } } } }, ENDPOINT);
    expect(files['emulator_backend_override.tf.json']).toEqual({ terraform: { backend: { local: { path: 'terraform.tfstate' } } } });
    expect(files['emulator_remote_state_override.tf.json']).toBeUndefined();
  });

  it('refuses remote state from a local backend: only S3 is emulated', () => {
    const stack = { ...s3Stack, data: { terraform_remote_state: { r: { backend: 'local', config: { path: 'x' } } } } };
    expect(() => emulatorOverrides(stack, ENDPOINT)).toThrow(/remote state r reads a local backend: the rehearsal emulates S3 only \(set stateBackend.type to s3\)/);
  });

  it('refuses a stack without an aws provider', () => {
    expect(() => emulatorOverrides({ terraform: {} }, ENDPOINT)).toThrow(/no aws provider/);
  });
});

describe('emulatorEnv', () => {
  it('sets the Go garbage-collection target of terraform and its provider to 400 (the rehearsal\'s own CPU setting)', () => {
    expect(emulatorEnv('/tmp/cert.pem')['GOGC']).toBe('400');
    expect(GO_RUNTIME_ENV).toEqual({ GOGC: '400' });
  });

  it('cuts off every real AWS credential source and trusts only the emulator certificate', () => {
    const env = emulatorEnv('/tmp/cert.pem');
    expect(env).toMatchObject({ AWS_CA_BUNDLE: '/tmp/cert.pem', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true' });
    for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_PROFILE']) {
      expect(name in env).toBe(true);
      expect(env[name]).toBeUndefined();
    }
  });
});
