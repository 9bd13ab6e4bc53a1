import { readCdktfManifest } from '@crdb-ory/core';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesizeTo } from './helpers';

/**
 * Issue 24: the multi-region app lives beside this one, which keeps "the same stacks, the same
 * resource addresses, so no existing state moves". The SHA-256 of every stack's synthesized JSON
 * and of the manifest (stack names, dependencies) from the defaults, as `main` synthesized them
 * before the multi-region app (f7d66b2), then as the vCPU check that counts the account's other
 * instances changed `cockroach` and `eks`. Only a change that means to alter this app's JSON
 * updates them (`vitest -u`), and says so in CHANGELOG.md.
 */
describe('the single-region app\'s synthesized JSON', () => {
  it('is byte-identical to what main synthesized before the multi-region app', () => {
    const outdir = synthesizeTo();
    const manifest = readCdktfManifest(outdir);
    const digest = (file: string) => createHash('sha256').update(readFileSync(join(outdir, file))).digest('hex');
    const digests = Object.fromEntries([['manifest.json', digest('manifest.json')], ...Object.entries(manifest.stacks).map(([name, stack]) => [name, digest(stack.synthesizedStackPath)])]);
    expect(digests).toMatchInlineSnapshot(`
      {
        "cockroach": "4479e3c39201a77f7cf435f1bebf82d73c4c3b335cce388f37344027742355a6",
        "cockroach-backup": "2a051796ff79350774b33bc133001a5f15bfe3fa3aa621f8caa8a9521ade9c8d",
        "cockroach-pki": "5c9b5b18cd2e731a716e783eda4164072cefbc1fef65880c41a51dc0b4cc1545",
        "eks": "23db8e4f8ce5dd5ad5f6d010b0be93549a2ee21593d93f21e60567e81f069c9e",
        "manifest.json": "a2f44c279ef031634232a9c4ac77d9b0fb7b9adaa6ff0c3db67fac726f7d9229",
        "network": "5a7746bdb1df2fbfe1cfdebd237aee8c5399a37950e3a20f9010a391ada1ef04",
        "ory": "c77ca973bb6bddf695b9594c67929cfe1c3193d4e0bd5123d2eee21d8c61f8e1",
        "state": "40f27f52d52d51146ce08ea8feb8f1f4578d6ddc8cce9c36eb1c59637749c174",
      }
    `);
  });
});
