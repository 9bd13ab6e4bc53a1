/**
 * The backup chains of a collection and the times they let a restore reach (pure: the restore
 * reads them on a node with `SHOW BACKUPS IN` and `SHOW BACKUP FROM <path> IN`).
 *
 * A chain is one full backup (a subdirectory that `SHOW BACKUPS IN` lists) and the incremental
 * backups appended to it. `SHOW BACKUP` gives each layer's `end_time` (the latest time it
 * restores to) and, for an incremental one, its `start_time` (the previous layer's end); a full
 * backup's `start_time` is NULL. With `revision_history` (the schedule's default) a restore may
 * pick any time inside a layer; CockroachDB then restores from the layer covering the time, and
 * only within the chain it is given (`FROM LATEST` is the newest chain), refusing "supplied
 * backups do not cover requested time" otherwise (pkg/backup/backupinfo/manifest_handling.go,
 * ValidateEndTimeAndTruncate). A full backup also holds the revisions of the GC window before its
 * end, but how far back is in its manifest only (`revisionStartTime`, shown by nothing but the
 * unstable `SHOW BACKUP ... WITH as_json`). So a chain surely covers its full backup's end to its
 * last layer's end; a time between one chain's end and the next full backup is covered only as
 * far back as that full backup's revision history reaches, which CockroachDB checks when it
 * restores ("BACKUP for requested time only has revision history from ..."). Sources: the RESTORE
 * page ("Restore with AS OF SYSTEM TIME"), the SHOW BACKUP page ("Response"), the "Take Backups
 * with Revision History" page, v25.4.
 */

export interface BackupLayer {
  readonly type: 'full' | 'incremental';
  /** Epoch ms; undefined for a full backup. */
  readonly start?: number;
  /** Epoch ms: the latest time this layer restores to. */
  readonly end: number;
}

export interface BackupChain {
  /** The full backup's subdirectory, as `SHOW BACKUPS IN` prints it (`2026/03/01-000000.00`). */
  readonly path: string;
  /** Oldest first; empty when CockroachDB could not read the chain (no manifest: a failed or running full backup). */
  readonly layers: readonly BackupLayer[];
}

/** A stretch of time a restore can reach, and the chain a restore of a time in it uses (the newest covering it). */
export interface RestorableWindow {
  readonly from: number;
  readonly to: number;
}

const PATH = /^\/?\d{4}\/\d{2}\/\d{2}-\d{6}\.\d{2}$/;

/** The layers of one chain, oldest first (CSV rows of backup_type, start_time, end_time). */
export function chainLayersSql(path: string, collectionUri: string): string {
  return `WITH b AS (SHOW BACKUP FROM '${path}' IN '${collectionUri}') SELECT DISTINCT backup_type, start_time, end_time FROM b ORDER BY end_time`;
}

/** A timestamp as CockroachDB prints it (`2026-03-01 00:00:00.123456+00`, zone optional: UTC) or as `--as-of` takes it, in epoch ms. */
export function parseTimestamp(text: string): number {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(text.trim());
  if (!match) throw new Error(`not a timestamp: "${text}"`);
  const zone = match[4] === undefined || match[4] === 'Z' ? 'Z' : /^[+-]\d{2}$/.test(match[4]) ? `${match[4]}:00` : match[4].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = match[3] ? `.${match[3].slice(1, 4).padEnd(3, '0')}` : '';
  const value = Date.parse(`${match[1]}T${match[2]}${ms}${zone}`);
  if (Number.isNaN(value)) throw new Error(`not a timestamp: "${text}"`);
  return value;
}

/** `2026-03-01 00:00:00 UTC` */
export function formatTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '')} UTC`;
}

/** The `backups` node command's output, chains in the order `SHOW BACKUPS` listed them. */
export function parseBackupChains(stdout: string): BackupChain[] {
  const chains = new Map<string, BackupLayer[]>();
  for (const line of stdout.split('\n').map((l) => l.trim())) {
    if (line.startsWith('unreadable=')) {
      const path = line.slice('unreadable='.length);
      if (PATH.test(path)) chains.set(path, chains.get(path) ?? []);
      continue;
    }
    if (!line.startsWith('layer=')) continue;
    const [path = '', type, start, end] = line.slice('layer='.length).split(',');
    if (!PATH.test(path) || (type !== 'full' && type !== 'incremental') || !end) throw new Error(`unexpected backup layer: ${line}`);
    const layer: BackupLayer = { type, end: parseTimestamp(end), ...(start && start !== 'NULL' ? { start: parseTimestamp(start) } : {}) };
    chains.set(path, [...(chains.get(path) ?? []), layer]);
  }
  return [...chains.entries()].map(([path, layers]) => ({ path, layers: [...layers].sort((a, b) => a.end - b.end) }));
}

/** From the chain's full backup to its last layer; undefined for an unreadable chain or one without its full backup. */
export function chainWindow(chain: BackupChain): RestorableWindow | undefined {
  const full = chain.layers.find((l) => l.type === 'full');
  if (!full) return undefined;
  return { from: full.end, to: Math.max(...chain.layers.map((l) => l.end)) };
}

/** The stretches of time the chains surely cover, merged where they touch or overlap, oldest first. */
export function restorableWindows(chains: readonly BackupChain[]): RestorableWindow[] {
  const windows = chains.flatMap((c) => chainWindow(c) ?? []).sort((a, b) => a.from - b.from);
  const merged: RestorableWindow[] = [];
  for (const w of windows) {
    const last = merged[merged.length - 1];
    if (last && w.from <= last.to) merged[merged.length - 1] = { from: last.from, to: Math.max(last.to, w.to) };
    else merged.push(w);
  }
  return merged;
}

/**
 * What a restore can reach, in words: from the oldest full backup to the newest layer, and the
 * longest stretch between two chains (covered only as far as the next full backup's revision
 * history reaches).
 */
export function describeWindows(windows: readonly RestorableWindow[]): string {
  const first = windows[0];
  const last = windows[windows.length - 1];
  if (!first || !last) return 'nothing (no readable backup)';
  const gaps = windows.slice(1).map((w, i) => w.from - windows[i]!.to);
  const longest = Math.max(0, ...gaps);
  const span = `${formatTimestamp(first.from)} to ${formatTimestamp(last.to)}`;
  if (gaps.length === 0) return span;
  return `${span} (${gaps.length} stretch${gaps.length === 1 ? '' : 'es'} between one backup chain's last time and the next full backup, the longest ${formatDuration(longest)}, only as far back as that full backup's revision history reaches)`;
}

function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}` : `${minutes} min`;
}

/** The newest readable chain (what `FROM LATEST` would restore, skipping a full backup that never finished). */
export function latestChain(chains: readonly BackupChain[]): BackupChain | undefined {
  return [...chains].reverse().find((c) => chainWindow(c) !== undefined);
}

/**
 * The chain a restore to `asOf` must name (`RESTORE ... FROM '<path>' IN ... AS OF SYSTEM TIME`):
 * of the chains whose window holds the time, the one with the newest full backup; for a time
 * between two chains, the next one (`revisionHistoryDecides`: CockroachDB checks that its full
 * backup's revision history reaches back that far). Refuses a time before the oldest full backup
 * or after the newest layer, naming what the backups cover.
 */
export function chainCovering(chains: readonly BackupChain[], asOf: number): { chain: BackupChain; revisionHistoryDecides: boolean } | { refusal: string } {
  const windows = chains.map((chain) => ({ chain, window: chainWindow(chain) })).filter((c): c is { chain: BackupChain; window: RestorableWindow } => c.window !== undefined);
  const covering = windows.filter((c) => c.window.from <= asOf && asOf <= c.window.to).sort((a, b) => b.window.from - a.window.from)[0];
  if (covering) return { chain: covering.chain, revisionHistoryDecides: false };
  const before = windows.some((c) => c.window.to < asOf);
  const next = windows.filter((c) => c.window.from > asOf).sort((a, b) => a.window.from - b.window.from)[0];
  if (before && next) return { chain: next.chain, revisionHistoryDecides: true };
  return { refusal: `${formatTimestamp(asOf)} is outside the backups: they cover ${describeWindows(restorableWindows(chains))}` };
}
