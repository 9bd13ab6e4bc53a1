import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProviderRequirement } from './provider-mirror';

/**
 * Writes a Terraform CLI config that installs `providers` from `mirror` and everything else
 * from the registry (which fails offline: that is how unavailable providers are detected).
 */
export function writeMirrorCliConfig(dir: string, mirror: string, providers: readonly ProviderRequirement[]): string {
  const sources = providers.map((p) => `"registry.terraform.io/${p.namespace}/${p.type}"`).join(', ');
  const file = join(dir, 'terraform.tfrc');
  writeFileSync(
    file,
    [
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(mirror)}`,
      `    include = [${sources}]`,
      '  }',
      '  direct {',
      `    exclude = [${sources}]`,
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  return file;
}
