import { parseCommandLine, withUsageErrors } from '@crdb-ory/core/command-line';
import { syncManifests } from './sync-manifests';

const USAGE = `Usage: npm run publishing:sync-manifests [-- --check]
Writes license, repository, engines, publishConfig and files into every publishable package.json from the root one.

  --check   only report what is out of date (exit 1 when anything is)
`;

process.exitCode = withUsageErrors({ command: 'sync-manifests', usage: USAGE, err: (text) => process.stderr.write(text) }, () => {
  const check = parseCommandLine(process.argv.slice(2), { options: { check: { type: 'boolean' } } }).values.check === true;
  const changes = syncManifests(process.cwd(), { write: !check });
  for (const change of changes) {
    console.log(`${check ? 'out of date' : 'updated'}: ${change.name} (${change.fields.join(', ')})`);
  }
  if (changes.length === 0) console.log('Every package manifest is up to date.');
  return check && changes.length > 0 ? 1 : 0;
});
