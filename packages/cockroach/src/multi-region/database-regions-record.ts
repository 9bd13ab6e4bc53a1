import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The file in a synthesis output folder (`cdktf.out/multi-region/database-regions.json`, next to
 * `manifest.json` and `configuration.json`) that holds the regions the Ory databases should have,
 * as the deployment's validated configuration gives them: the primary region, the secondary
 * region, then the others. The multi-region app writes it through `@crdb-ory/deployment`'s
 * synthesis; `crdb-ory-cockroach regions` reads it when `--regions` is not given. The commands
 * refuse an output synthesized from another configuration (configuration.json), so the file is
 * the configuration's, not an older one's. A synthesis without regions (the single-region app)
 * writes none, and removes a previous one.
 */
export const DATABASE_REGIONS_RECORD_FILE = 'database-regions.json';

/** Writes the record of `regions` (primary first, secondary second) into the synthesis output folder `outdir`. */
export function writeDatabaseRegionsRecord(outdir: string, regions: readonly string[]): void {
  writeFileSync(join(outdir, DATABASE_REGIONS_RECORD_FILE), `${JSON.stringify({ regions }, null, 2)}\n`);
}

/** The regions recorded in the synthesis output folder `outdir`; undefined when it has no record. Throws on a record that is not one. */
export function readDatabaseRegionsRecord(outdir: string): string[] | undefined {
  const file = join(outdir, DATABASE_REGIONS_RECORD_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const record = JSON.parse(text) as { regions?: unknown };
  if (!Array.isArray(record.regions) || !record.regions.every((r) => typeof r === 'string')) throw new Error(`${file} is not a record of database regions ({"regions": ["<primary>", "<secondary>", ...]})`);
  return record.regions as string[];
}
