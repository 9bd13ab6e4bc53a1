import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AWS_PROVIDER, findProviderMirror, mirrorFingerprint, platformDir, writeMirrorCliConfig } from '../src';

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mirror-'));
  temps.push(dir);
  return dir;
}
afterEach(() => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('findProviderMirror', () => {
  it('finds a mirror nested a few levels under a search root', () => {
    const root = tempDir();
    const mirror = join(root, 'tools', 'tf-plugins');
    mkdirSync(join(mirror, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', platformDir()), { recursive: true });
    expect(findProviderMirror(AWS_PROVIDER, [join(root, 'missing'), root])).toBe(mirror);
  });

  it('ignores a mirror of another version', () => {
    const root = tempDir();
    mkdirSync(join(root, 'registry.terraform.io', 'hashicorp', 'aws', '5.99.0', platformDir()), { recursive: true });
    expect(findProviderMirror(AWS_PROVIDER, [root])).toBeUndefined();
  });
});

describe('writeMirrorCliConfig', () => {
  it('takes the mirrored providers from the mirror only', () => {
    const file = writeMirrorCliConfig(tempDir(), '/some/mirror', [AWS_PROVIDER]);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('path    = "/some/mirror"');
    expect(text).toContain('include = ["registry.terraform.io/hashicorp/aws"]');
    expect(text).toContain('exclude = ["registry.terraform.io/hashicorp/aws"]');
  });
});

describe('mirrorFingerprint', () => {
  it('lists every mirrored provider binary with its version, platform and size, and no path', () => {
    const root = tempDir();
    const platform = join(root, 'plugins', 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64');
    mkdirSync(platform, { recursive: true });
    writeFileSync(join(platform, 'terraform-provider-aws_v5.100.0_x5'), 'binary');
    const before = mirrorFingerprint([root]);
    expect(before).toEqual(['hashicorp/aws 5.100.0 linux_amd64 terraform-provider-aws_v5.100.0_x5 6 bytes']);
    expect(before.join('\n')).not.toContain(root);
    const tls = join(root, 'plugins', 'registry.terraform.io', 'hashicorp', 'tls', '4.1.0', 'linux_amd64');
    mkdirSync(tls, { recursive: true });
    writeFileSync(join(tls, 'terraform-provider-tls_v4.1.0_x5'), 'tls');
    expect(mirrorFingerprint([root])).toEqual([...before, 'hashicorp/tls 4.1.0 linux_amd64 terraform-provider-tls_v4.1.0_x5 3 bytes']);
  });

  it('is empty when no mirror exists', () => {
    expect(mirrorFingerprint([tempDir()])).toEqual([]);
  });
});
