import { AWS_PROVIDER, findProviderMirror, mirrorFingerprint, mirrorSearchRoots, platformDir } from '@crdb-ory/terraform-harness';
import { Probe, anyOnPathVersion, commandVersion } from './probes';

/**
 * Something the README's test command needs besides the npm packages. One row per tool: the
 * README's prerequisites table lists the same rows (a test keeps them in step), the test
 * command checks them first, and their versions key the Nx cache of the tasks that use them.
 */
export interface Prerequisite {
  /** As the README names it. */
  readonly name: string;
  /** Which versions work, as the README shows it (`>= 1.10`). */
  readonly version: string;
  /** The oldest version accepted; with `exact`, the only one. @default any version */
  readonly minimum?: string;
  readonly exact?: boolean;
  /** Why the tests need it. */
  readonly why: string;
  /** How to install it, in one line. */
  readonly install: string;
  /** The Debian package providing it: installed with apt-get when the test command runs as root. */
  readonly aptPackage?: string;
  readonly probe: Probe;
  /** Lines that change when what is installed changes, for the Nx cache. @default `<name> <version>` */
  readonly fingerprint?: () => string[];
}

const awsProviderFromMirrorOrRegistry: Probe = async ({ env, network }) => {
  if (findProviderMirror(AWS_PROVIDER, mirrorSearchRoots(env))) return AWS_PROVIDER.version;
  if (!network) return undefined;
  const [os, arch] = platformDir().split('_');
  const url = `https://registry.terraform.io/v1/providers/${AWS_PROVIDER.namespace}/${AWS_PROVIDER.type}/${AWS_PROVIDER.version}/download/${os}/${arch}`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return response.ok ? AWS_PROVIDER.version : undefined;
  } catch {
    return undefined;
  }
};

const npmVersion: Probe = async (context) => /\bnpm\/(\d+\.\d+\.\d+)/.exec(context.env['npm_config_user_agent'] ?? '')?.[1] ?? commandVersion('npm', ['--version'])(context);

export const PREREQUISITES: readonly Prerequisite[] = [
  {
    name: 'Node.js',
    version: '>= 20.19',
    minimum: '20.19',
    why: 'runs everything (Nx 23 and vitest 4; Nx 24 and vitest 5 would need Node 22)',
    install: 'https://nodejs.org/en/download (or nvm install 20)',
    probe: async () => process.versions.node,
  },
  {
    name: 'npm',
    version: '>= 11',
    minimum: '11',
    why: 'installs exactly the locked dependencies (npm ci)',
    install: 'npm install -g npm@11',
    probe: npmVersion,
  },
  {
    name: 'terraform',
    version: '>= 1.10',
    minimum: '1.10',
    why: 'the offline review and the Terraform tests (init, mocked apply with terraform test); 1.10 is the oldest with S3-native state locking, which the S3 backend uses',
    install: 'https://developer.hashicorp.com/terraform/install (not a Debian package)',
    probe: commandVersion('terraform', ['version', '-json'], /"terraform_version"\s*:\s*"([^"]+)"/),
  },
  {
    name: 'hashicorp/aws provider',
    version: '5.100.0',
    minimum: '5.100.0',
    exact: true,
    why: 'the provider the stacks pin (@cdktf/provider-aws 20.1.0); the Terraform checks install it',
    install: `a filesystem mirror (a folder holding registry.terraform.io/hashicorp/aws/5.100.0/${platformDir()}/) under /opt, /usr/local/share, /srv, ~/.terraform.d/plugins or named by TF_PROVIDER_MIRROR, or network access to registry.terraform.io`,
    probe: awsProviderFromMirrorOrRegistry,
    fingerprint: () => mirrorFingerprint(),
  },
  {
    name: 'shellcheck',
    version: '>= 0.9',
    minimum: '0.9',
    why: 'the cockroach tests lint the node boot and bootstrap scripts',
    install: 'apt-get install shellcheck (Debian package)',
    aptPackage: 'shellcheck',
    probe: commandVersion('shellcheck', ['--version'], /version:\s*(\S+)/),
  },
  {
    name: 'openssl',
    version: '>= 3.0',
    minimum: '3.0',
    why: 'the verify tests make the TLS certificates of their PostgreSQL server and clients',
    install: 'apt-get install openssl (Debian package)',
    aptPackage: 'openssl',
    probe: commandVersion('openssl', ['version'], /OpenSSL\s+(\d+\.\d+\.\d+)/),
  },
  {
    name: 'moto',
    version: '>= 5.2.1',
    minimum: '5.2.1',
    why: 'the deploy rehearsal (npm run rehearse) applies every AWS stack against moto\'s server on 127.0.0.1; its launcher patches moto 5.2.1\'s gaps',
    install: 'pip install "moto[server]" (Python 3; not a Debian package)',
    probe: anyOnPathVersion('python3', ['-c', 'import moto, flask, moto.moto_server.threaded_moto_server; print(moto.__version__)'], /^(\d+\.\d+\.\d+)/m),
  },
];
