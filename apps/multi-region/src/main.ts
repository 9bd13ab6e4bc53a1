import { defaultOutdir, runSynthesis } from '@crdb-ory/deployment';
import { readMultiRegionConfig } from './config';
import { synthesizeMultiRegion } from './synthesize';

process.exitCode = runSynthesis(() => {
  const loaded = readMultiRegionConfig();
  return synthesizeMultiRegion(loaded.config, defaultOutdir(), loaded.fingerprint);
});
