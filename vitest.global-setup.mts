import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every test run gets a temporary directory of its own under the system one, and removes it when
 * the run ends: whatever a test, a tool it runs or a library it uses leaves in `os.tmpdir()`
 * (cdktf's Testing helpers never remove their `cdktf.outdir.*`; stub worlds, sandboxes and child
 * processes make their own) goes with it, so a CI machine running the suite for years does not
 * fill its /tmp. Set before the workers start, TMPDIR reaches them and every process they spawn
 * (Node's `os.tmpdir()`, mktemp, Python's tempfile and Go's os.TempDir all read it).
 */
export default function setup(): () => void {
  const previous = process.env['TMPDIR'];
  const system = tmpdir();
  const dir = mkdtempSync(join(system, 'crdb-ory-test-run-'));
  // With the system temp dir's permissions (/tmp: 1777), not mkdtemp's 0700: a test running as
  // root starts PostgreSQL as user "postgres", who must enter the folders the test makes here.
  chmodSync(dir, statSync(system).mode & 0o7777);
  process.env['TMPDIR'] = dir;
  return () => {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
    // Servers the tests started (moto, PostgreSQL) are stopped by their own teardown before this runs.
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
}
