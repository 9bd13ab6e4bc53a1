import { ConfigSource, ConfigSourceError, configSource as sourceOfConfiguration } from '@crdb-ory/core/configuration-source';
import { ConfigError } from './config-error';

// Which file configures a run is shared with the commands that read the synthesis output
// (`roll`, `restore`): they refuse a cdktf.out synthesized from another configuration.
export { CONFIG_FILE_ENV, DEFAULT_CONFIG_FILE, describeConfigSource } from '@crdb-ory/core/configuration-source';
export type { ConfigSource } from '@crdb-ory/core/configuration-source';

/** `configSource` of @crdb-ory/core, its problem reported as the app reports every configuration problem. */
export function configSource(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ConfigSource {
  try {
    return sourceOfConfiguration(env, cwd);
  } catch (error) {
    if (error instanceof ConfigSourceError) throw new ConfigError(error.setting, [{ setting: error.setting, value: error.value, message: error.problem }]);
    throw error;
  }
}
