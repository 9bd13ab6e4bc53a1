import { prerequisitesFingerprint } from './fingerprint';
import { PREREQUISITES } from './prerequisites';

/** Prints the prerequisites fingerprint (an Nx runtime input; see nx.json). */
prerequisitesFingerprint(PREREQUISITES, process.env).then(
  (lines) => process.stdout.write(`${lines.join('\n')}\n`),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  },
);
