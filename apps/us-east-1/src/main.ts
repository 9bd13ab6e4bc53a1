import { defaultOutdir, readConfig, runSynthesis } from '@crdb-ory/deployment';
import { synthesizeAll } from './synthesize';

process.exitCode = runSynthesis(() => {
  const loaded = readConfig();
  return synthesizeAll(loaded.config, defaultOutdir(), undefined, loaded.fingerprint);
});
