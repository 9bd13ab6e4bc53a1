import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AWS_PROVIDER, findProviderMirror, platformDir, writeMirrorCliConfig } from '../src';

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
