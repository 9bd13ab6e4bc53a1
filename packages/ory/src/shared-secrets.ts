import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { PropProblem, throwIfProblems } from '@crdb-ory/core';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { OryServiceName } from './ory-ports';

/**
 * The Ory secrets each chart reads from its Secret (chart 0.62.1 `templates/secrets.yaml`: Hydra
 * `secretsSystem`, `secretsCookie`; Kratos `secretsDefault`, `secretsCookie`, `secretsCipher`), and
 * their lengths (Kratos's cipher must be exactly 32). In a multi-region deployment every one of
 * them must be the same in every region, because every region reads and writes the same rows
 * (v26.2.0 config schemas in the reference data, `tools/reference-data/ory/config-schemas-v26.2.0`):
 * - Hydra `secrets.system`: "used to encrypt sensitive data using AES-GCM (256 bit) and validate
 *   HMAC signatures" (the JWKs, client secrets and opaque tokens' signatures in the shared
 *   database): a region with another one can neither decrypt the other's keys nor verify its tokens;
 * - Hydra `secrets.cookie` ("cookie session encryption") and Kratos `secrets.cookie` ("encrypting
 *   cookies"): a browser that moves to another region after a failover keeps its login and consent
 *   state and its session;
 * - Kratos `secrets.default` ("signing and encrypting things": flows, tokens) and `secrets.cipher`
 *   ("encryption data": credentials encrypted at rest in the shared database).
 * Hydra's issuer (`urls.self.issuer`, "used as the `issuer` in access and ID tokens") must be the
 * same too: the regions' stacks get the same `domain` (or `hydraIssuerUrl`).
 */
export const ORY_GENERATED_SECRETS: Readonly<Record<OryServiceName, Readonly<Record<string, number>>>> = {
  hydra: { secretsSystem: 32, secretsCookie: 32 },
  kratos: { secretsDefault: 32, secretsCookie: 32, secretsCipher: 32 },
  keto: {},
};

/** The key of a shared secret in the shared Secrets Manager secret's JSON: `<service>.<chart Secret key>`. */
export function sharedSecretKey(service: OryServiceName, key: string): string {
  return `${service}.${key}`;
}

/** Every key of the shared secret's JSON, with its length. */
export function sharedSecretKeys(): Array<{ service: OryServiceName; key: string; jsonKey: string; length: number }> {
  return (Object.entries(ORY_GENERATED_SECRETS) as Array<[OryServiceName, Record<string, number>]>).flatMap(([service, keys]) =>
    Object.entries(keys).map(([key, length]) => ({ service, key, jsonKey: sharedSecretKey(service, key), length })),
  );
}

/** The Terraform CLI a stack with write-only arguments needs (Terraform docs, "Ephemeral values in resources": write-only arguments need 1.11). */
export const TERRAFORM_FOR_WRITE_ONLY = '>= 1.11.0';

/** Name of the shared secret in Secrets Manager (the same in the primary region and in every replica region). */
export function orySharedSecretName(namePrefix: string): string {
  return `${namePrefix}/ory/shared-secrets`;
}

/** Where a region's Ory stack finds the shared secrets, and the stack that creates them (a dependency). */
export interface OrySharedSecretsReference {
  /** The stack that holds `OrySharedSecrets` (deployed first: `cdktf deploy '*'` orders it before this one). */
  readonly stackName: string;
  /** The secret's name, the same in every region (`orySharedSecretName(namePrefix)`); read in the stack's own region, from its replica. */
  readonly secretName: string;
}

export interface OrySharedSecretsProps {
  /** Prefix of the secret's name (`<namePrefix>/ory/shared-secrets`). */
  readonly namePrefix: string;
  /** The region the construct's stack deploys to (the primary region): the secret's home. */
  readonly primaryRegion: string;
  /** Every other region an Ory stack runs in: each gets a replica, which that region's Ory stack reads. */
  readonly replicaRegions: readonly string[];
  /**
   * Bump to write new values (a rotation: every region's Ory stack must then be re-applied, and
   * Hydra's old system secret kept as a fallback by hand, Ory docs "Secret rotation").
   * @default 1
   */
  readonly version?: number;
  /** Days Secrets Manager keeps the secret after a destroy before deleting it. @default 30 */
  readonly recoveryWindowInDays?: number;
}

/**
 * Ory's shared secrets (Hydra's system and cookie secrets, Kratos's default, cookie and cipher
 * secrets) for a multi-region deployment: one Secrets Manager secret in the primary region with a
 * replica in every other Ory region (hashicorp/aws 5.100.0 `aws_secretsmanager_secret` `replica`
 * blocks), so tokens issued in one region verify in another.
 *
 * The values never appear in the synthesized JSON, the plan or any state: they are generated at
 * apply time by Secrets Manager itself (the ephemeral resource `aws_secretsmanager_random_password`,
 * GetRandomPassword) and written through the write-only `secret_string_wo` argument (Terraform
 * 1.11 docs, "Ephemeral values in resources"; both in hashicorp/aws 5.100.0's schema), whose
 * `secret_string_wo_version` decides when they are written: once, until `version` changes. The
 * stack that holds this construct therefore holds no secret, and other stacks may read its state.
 * Each region's Ory stack reads the replica in its own region (`OryStackProps.sharedSecrets`).
 * Encrypted with the AWS managed key `aws/secretsmanager` of each region (a replica needs a key in
 * its own region; the managed one exists everywhere).
 */
export class OrySharedSecrets extends Construct {
  readonly secret: SecretsmanagerSecret;
  readonly secretName: string;

  constructor(scope: Construct, id: string, props: OrySharedSecretsProps) {
    super(scope, id);
    throwIfProblems(this, orySharedSecretsProblems(props));
    this.secretName = orySharedSecretName(props.namePrefix);
    this.secret = new SecretsmanagerSecret(this, 'secret', {
      name: this.secretName,
      description: "Ory's secrets shared by every region (Hydra system and cookie, Kratos default, cookie and cipher). Generated by Secrets Manager, never in Terraform state.",
      recoveryWindowInDays: props.recoveryWindowInDays ?? 30,
      replica: props.replicaRegions.map((region) => ({ region })),
    });
    const stack = TerraformStack.of(this);
    // Ephemeral resources came with Terraform 1.10, write-only arguments with 1.11: an older CLI stops at init with this constraint.
    stack.addOverride('terraform.required_version', TERRAFORM_FOR_WRITE_ONLY);
    const passwords = sharedSecretKeys().map(({ service, key, jsonKey, length }) => {
      const name = `${this.node.id.replace(/[^A-Za-z0-9_-]/g, '_')}_${service}_${key}`;
      // Letters and digits only, like the single-region random_password: safe in env vars and Ory's comma-separated lists.
      stack.addOverride(`ephemeral.aws_secretsmanager_random_password.${name}`, {
        password_length: length,
        exclude_punctuation: true,
        include_space: false,
        require_each_included_type: true,
      });
      return `${JSON.stringify(jsonKey)} = ephemeral.aws_secretsmanager_random_password.${name}.random_password`;
    });
    new SecretsmanagerSecretVersion(this, 'values', {
      secretId: this.secret.id,
      secretStringWo: `\${jsonencode({ ${passwords.join(', ')} })}`,
      secretStringWoVersion: props.version ?? 1,
    });
  }

  /** What a region's `OryStack` takes as `sharedSecrets`. */
  reference(): OrySharedSecretsReference {
    return { stackName: TerraformStack.of(this).node.id, secretName: this.secretName };
  }
}

/** The replica regions: none the primary, none twice. */
export function orySharedSecretsProblems(props: Pick<OrySharedSecretsProps, 'primaryRegion' | 'replicaRegions' | 'version'>): PropProblem[] {
  const problems: PropProblem[] = [];
  if (props.replicaRegions.includes(props.primaryRegion)) {
    problems.push({ prop: 'replicaRegions', value: props.replicaRegions, message: `must not list the primary region ${props.primaryRegion} (the secret's home; a replica goes to every other region)` });
  }
  if (new Set(props.replicaRegions).size !== props.replicaRegions.length) problems.push({ prop: 'replicaRegions', value: props.replicaRegions, message: 'must not repeat a region' });
  if (props.version !== undefined && !(Number.isInteger(props.version) && props.version >= 1)) problems.push({ prop: 'version', value: props.version, message: 'must be a whole number from 1' });
  return problems;
}
