import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helpText } from '../src/cli-args';
import { resolveConfig, SOURCE_LABELS } from '../src/config';
import { envName, flagName, SETTINGS } from '../src/settings';
import { runCli, toFlags } from './support/run-cli';

const URLS = {
  hydraPublicUrl: 'https://hydra.example.com/',
  hydraAdminUrl: 'http://hydra-admin:4445',
  kratosPublicUrl: 'https://kratos.example.com',
  kratosAdminUrl: 'http://kratos-admin:4434',
  ketoReadUrl: 'http://keto-read:4466',
  ketoWriteUrl: 'http://keto-write:4467',
};
const DB = { dbHost: 'sql.crdb-ory.internal', dbUser: 'verifier', certsDir: '/certs' };

function tempFile(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'verify-cli-')), name);
  writeFileSync(file, content);
  return file;
}

describe('--help', () => {
  it('documents every option with its environment variable, and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const key of Object.keys(SETTINGS)) {
      expect(run.stdout).toContain(`--${flagName(key)}`);
      expect(run.stdout).toContain(envName(key));
    }
    for (const option of ['--config', '--terraform-outputs', 'CRDB_ORY_VERIFY_CONFIG', 'Exit codes: 0']) expect(run.stdout).toContain(option);
    expect(run.stdout).toBe(helpText());
  });
});

describe('bad usage or configuration exits 2 naming the setting, the value and what is allowed', () => {
  const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
    ['unknown flag', ['--hydra-url', 'x'], {}, /Unknown option '--hydra-url'/],
    ['positional argument', ['hydra'], {}, /Unexpected argument 'hydra'/],
    ['repeat out of range', toFlags({ ...URLS, ...DB, repeat: 0 }), {}, /Setting "repeat" \(flag --repeat\) has value "0"; allowed: an integer from 1 to 10000/],
    ['timeout not a number (env)', toFlags({ ...URLS, ...DB }), { CRDB_ORY_VERIFY_TIMEOUT_MS: 'soon' }, /Setting "timeoutMs" \(environment variable CRDB_ORY_VERIFY_TIMEOUT_MS\) has value "soon"; allowed: an integer/],
    ['certificate threshold out of range (env)', toFlags({ ...URLS, ...DB }), { CRDB_ORY_VERIFY_CERT_EXPIRY_MIN_DAYS: '4000' }, /Setting "certExpiryMinDays" \(environment variable CRDB_ORY_VERIFY_CERT_EXPIRY_MIN_DAYS\) has value "4000"; allowed: an integer from 0 to 3650/],
    ['backups without a SQL user', toFlags({ dbHost: 'h', certsDir: '/c', services: 'backups' }), {}, /Setting "dbUser" is required to verify backups: set --db-user, CRDB_ORY_VERIFY_DB_USER or "dbUser" in the config file\./],
    ['backup window out of range', toFlags({ ...URLS, ...DB, backupWindowMinutes: 0 }), {}, /Setting "backupWindowMinutes" \(flag --backup-window-minutes\) has value "0"; allowed: an integer from 1 to 1054080/],
    ['unknown service', toFlags({ ...URLS, ...DB, services: 'hydra,oathkeeper' }), {}, /Setting "services" \(flag --services\) has value "hydra,oathkeeper"; allowed: a comma-separated list of hydra, kratos, keto, backups/],
    ['URL without scheme', toFlags({ ...URLS, ...DB, ketoReadUrl: 'keto-read:4466' }), {}, /Setting "ketoReadUrl" \(flag --keto-read-url\) has value "keto-read:4466"; allowed: an http:\/\/ or https:\/\/ URL/],
    ['missing endpoint', toFlags({ ...DB, services: 'keto' }), {}, /Setting "ketoReadUrl" is required to verify keto: set --keto-read-url, CRDB_ORY_VERIFY_KETO_READ_URL/],
    ['missing SQL user', toFlags({ ...URLS, dbHost: 'h', certsDir: '/c' }), {}, /Setting "dbUser" is required to verify hydra.*--hydra-db-user/],
    ['no CA for verify-full', toFlags({ ...URLS, dbHost: 'h', dbUser: 'verifier', dbSslcert: '/a.crt', dbSslkey: '/a.key' }), {}, /"dbSslrootcert" is required .* verify-full needs the cluster CA/],
  ];
  for (const [name, argv, env, message] of cases) {
    it(name, async () => {
      const run = await runCli(argv, env);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    });
  }

  it('config file with an unknown key', async () => {
    const file = tempFile('verify.json', JSON.stringify({ ...URLS, ...DB, hydraPublicURL: 'x' }));
    const run = await runCli(['--config', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Unknown setting "hydraPublicURL" (config file ${file}, key "hydraPublicURL"); allowed: services, dbHost`);
  });

  it('config file that is not JSON, or missing', async () => {
    expect((await runCli(['--config', tempFile('v.json', '{nope')])).stderr).toMatch(/Config file .* is not JSON/);
    const missing = await runCli([], { CRDB_ORY_VERIFY_CONFIG: '/nonexistent/verify.json' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot read the config file /nonexistent/verify.json (ENOENT)');
  });

  it('terraform outputs that are not the cockroach stack\'s', async () => {
    const run = await runCli(['--terraform-outputs', tempFile('o.json', JSON.stringify({ vpc_id: { value: 'vpc-1' } }))]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/has none of sql_host, sql_port, verifier_sql_user/);
    const wrongShape = await runCli(['--terraform-outputs', tempFile('o.json', JSON.stringify({ sql_host: 'x' }))]);
    expect(wrongShape.stderr).toContain('Terraform output "sql_host"');
  });
});

describe('resolveConfig', () => {
  const flag = (values: Record<string, unknown>) => ({ label: SOURCE_LABELS.flag, values });
  const env = (values: Record<string, unknown>) => ({ label: SOURCE_LABELS.env, values });
  const file = (values: Record<string, unknown>) => ({ label: SOURCE_LABELS.file('f.json'), values });
  const terraform = (values: Record<string, unknown>) => ({ label: SOURCE_LABELS.terraform('t.json'), values });

  it('takes flags over environment over config file over terraform outputs over defaults', () => {
    const config = resolveConfig([
      flag({ dbHost: 'from-flag' }),
      env({ dbHost: 'from-env', dbPort: '26000', timeoutMs: '2000' }),
      file({ ...URLS, dbHost: 'from-file', dbPort: 1, timeoutMs: 3000, repeat: 5, dbUser: 'verifier', certsDir: '/certs' }),
      terraform({ dbHost: 'from-tf', dbPort: 2, hydraDbName: 'hydra_prod', dbUser: 'ignored' }),
    ]);
    const hydra = config.services[0];
    expect(hydra.db).toEqual({ host: 'from-flag', port: 26000, database: 'hydra_prod', user: 'verifier', sslrootcert: '/certs/ca.crt', sslcert: '/certs/client.verifier.crt', sslkey: '/certs/client.verifier.key' });
    expect(hydra.urls).toEqual({ publicUrl: 'https://hydra.example.com', adminUrl: 'http://hydra-admin:4445' });
    expect(config).toMatchObject({ timeoutMs: 2000, repeat: 5, keep: false, json: false, ketoNamespace: 'documents' });
    expect(config.services.map((s) => s.service)).toEqual(['hydra', 'kratos', 'keto']);
  });

  it('checks backups by default, on the verifier\'s connection to Hydra\'s database, with the label and bucket from the terraform outputs', () => {
    const config = resolveConfig([flag({ ...URLS, ...DB }), terraform({ hydraDbName: 'hydra_prod', backupScheduleLabel: 'crdb_ory_backup', backupBucketName: 'crdb-ory-backups-1' })]);
    expect(config.backups).toEqual({
      db: { host: 'sql.crdb-ory.internal', port: 26257, database: 'hydra_prod', user: 'verifier', sslrootcert: '/certs/ca.crt', sslcert: '/certs/client.verifier.crt', sslkey: '/certs/client.verifier.key' },
      scheduleLabel: 'crdb_ory_backup',
      bucketName: 'crdb-ory-backups-1',
    });
    const overridden = resolveConfig([flag({ ...URLS, ...DB, backupScheduleLabel: 'nightly', backupWindowMinutes: '180' }), terraform({ backupScheduleLabel: 'crdb_ory_backup' })]);
    expect(overridden.backups).toMatchObject({ scheduleLabel: 'nightly', windowMinutes: 180 });
    expect(overridden.backups?.bucketName).toBeUndefined();
    expect(resolveConfig([flag({ ...URLS, ...DB, services: 'hydra,keto' })]).backups).toBeUndefined();
    expect(resolveConfig([flag({ ...DB, services: 'backups' })]).services).toEqual([]);
  });

  it('uses per-service users and their certificates from the certs dir, in service order whatever --services says', () => {
    const config = resolveConfig([flag({ ...URLS, ...DB, services: 'keto,hydra', ketoDbUser: 'keto', hydraDbSslcert: '/x/h.crt', dbSslkey: '/x/v.key' })]);
    expect(config.services.map((s) => s.service)).toEqual(['hydra', 'keto']);
    expect(config.services[0].db).toMatchObject({ user: 'verifier', sslcert: '/x/h.crt', sslkey: '/x/v.key' });
    expect(config.services[1].db).toMatchObject({ user: 'keto', sslcert: '/certs/client.keto.crt', sslkey: '/certs/client.keto.key' });
  });
});
