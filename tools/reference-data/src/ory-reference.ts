import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The Ory release the reference data is from (Hydra, Kratos and Keto share it). */
export const ORY_REFERENCE_APP_VERSION = 'v26.2.0';
/** The version of Ory's Helm charts whose packages are here. */
export const ORY_REFERENCE_CHART_VERSION = '0.62.1';

export type OryService = 'hydra' | 'kratos' | 'keto';
export const ORY_SERVICES: readonly OryService[] = ['hydra', 'kratos', 'keto'];

/** The folder holding the data (`ory/` in this project), with `NOTICE.md` and `SHA256SUMS`. */
export const ORY_REFERENCE_DIR = resolve(__dirname, '..', 'ory');

function existing(path: string): string {
  if (!existsSync(path)) throw new Error(`Ory reference data is missing: ${path} (see ${join(ORY_REFERENCE_DIR, 'NOTICE.md')})`);
  return path;
}

/** The folder of Ory's config JSON Schemas, with the shared `ory://` schemas in `refs/`. */
export function oryConfigSchemaDir(): string {
  return existing(join(ORY_REFERENCE_DIR, `config-schemas-${ORY_REFERENCE_APP_VERSION}`));
}

/** The schema dump a service's PostgreSQL migrations produce: one multi-statement SQL file. */
export function oryPostgresSchemaFile(service: OryService): string {
  return existing(join(ORY_REFERENCE_DIR, `postgres-schemas-${ORY_REFERENCE_APP_VERSION}`, `${service}.sql`));
}

/** A service's OpenAPI 3 document (public and admin APIs; for Keto, read and write). */
export function oryApiSpecFile(service: OryService): string {
  return existing(join(ORY_REFERENCE_DIR, `api-specs-${ORY_REFERENCE_APP_VERSION}`, `${service}.api.json`));
}

/** The chart package exactly as Ory's Helm repository serves it, or undefined for a version not here. */
export function oryChartPackage(service: OryService, version: string = ORY_REFERENCE_CHART_VERSION): string | undefined {
  const path = join(ORY_REFERENCE_DIR, `charts-${version}`, `${service}-${version}.tgz`);
  return existsSync(path) ? path : undefined;
}

/** The Helm repository the chart packages were served from (see NOTICE.md); a release from another repository is not this data. */
export const ORY_REFERENCE_CHART_REPOSITORY = 'https://k8s.ory.com/helm/charts';
