import { syncManifests } from './sync-manifests';

// Usage: npm run publishing:sync-manifests [-- --check]
const check = process.argv.includes('--check');
const changes = syncManifests(process.cwd(), { write: !check });
for (const change of changes) {
  console.log(`${check ? 'out of date' : 'updated'}: ${change.name} (${change.fields.join(', ')})`);
}
if (changes.length === 0) console.log('Every package manifest is up to date.');
if (check && changes.length > 0) process.exitCode = 1;
