import { describe, expect, it } from 'vitest';
import { chainCovering, describeWindows, latestChain, parseBackupChains, parseTimestamp, restorableWindows } from '../src/ops/backup-chains';

/** The `backups` node command's output for two daily chains (full at 00:00, incrementals to 18:00) and a full backup that never finished. */
const OUTPUT = [
  'layer=2026/03/01-000000.00,full,NULL,2026-03-01 00:00:00.123456+00',
  'layer=2026/03/01-000000.00,incremental,2026-03-01 00:00:00.123456+00,2026-03-01 06:00:00+00',
  'layer=2026/03/01-000000.00,incremental,2026-03-01 06:00:00+00,2026-03-01 18:00:00+00',
  'layer=2026/03/02-000000.00,full,NULL,2026-03-02 00:00:00+00',
  'layer=2026/03/02-000000.00,incremental,2026-03-02 00:00:00+00,2026-03-02 12:00:00+00',
  'unreadable=2026/03/03-000000.00',
].join('\n');
const at = (text: string) => parseTimestamp(text);

describe('backup chains and the times they restore to', () => {
  const chains = parseBackupChains(OUTPUT);

  it('reads each chain with its layers, and the unreadable one without', () => {
    expect(chains.map((c) => [c.path, c.layers.length])).toEqual([['2026/03/01-000000.00', 3], ['2026/03/02-000000.00', 2], ['2026/03/03-000000.00', 0]]);
    expect(chains[0]!.layers[0]).toEqual({ type: 'full', end: at('2026-03-01 00:00:00.123+00') });
    expect(() => parseBackupChains("layer=2026/03/01-000000.00'; DROP,full,NULL,2026-03-01 00:00:00+00")).toThrow(/unexpected backup layer/);
  });

  it('a chain covers its full backup to its last layer; the latest is the newest readable chain', () => {
    expect(restorableWindows(chains)).toEqual([
      { from: at('2026-03-01 00:00:00.123+00'), to: at('2026-03-01 18:00:00+00') },
      { from: at('2026-03-02 00:00:00+00'), to: at('2026-03-02 12:00:00+00') },
    ]);
    expect(latestChain(chains)!.path).toBe('2026/03/02-000000.00');
    expect(describeWindows(restorableWindows(chains))).toBe(
      "2026-03-01 00:00:00 UTC to 2026-03-02 12:00:00 UTC (1 stretch between one backup chain's last time and the next full backup, the longest 6 h, only as far back as that full backup's revision history reaches)",
    );
  });

  it('picks the chain holding the time; between two chains the next one, whose revision history CockroachDB checks', () => {
    expect(chainCovering(chains, at('2026-03-01 12:00:00+00'))).toEqual({ chain: chains[0], revisionHistoryDecides: false });
    expect(chainCovering(chains, at('2026-03-02 00:00:00+00'))).toEqual({ chain: chains[1], revisionHistoryDecides: false });
    expect(chainCovering(chains, at('2026-03-01 21:00:00+00'))).toEqual({ chain: chains[1], revisionHistoryDecides: true });
  });

  it('refuses a time before the oldest full backup or after the newest layer, saying what is covered', () => {
    for (const time of ['2026-02-28 23:00:00+00', '2026-03-02 12:00:01+00']) {
      const choice = chainCovering(chains, at(time));
      expect(choice).toEqual({ refusal: expect.stringContaining('is outside the backups: they cover 2026-03-01 00:00:00 UTC to 2026-03-02 12:00:00 UTC') });
    }
    expect(chainCovering([], at('2026-03-01 00:00:00+00'))).toEqual({ refusal: expect.stringContaining('they cover nothing (no readable backup)') });
  });

  it('reads timestamps with or without zone, as CockroachDB prints them and --as-of takes them', () => {
    expect(at('2026-03-01 14:30:00+00')).toBe(Date.UTC(2026, 2, 1, 14, 30));
    expect(at('2026-03-01T14:30:00Z')).toBe(Date.UTC(2026, 2, 1, 14, 30));
    expect(at('2026-03-01 16:30:00+0200')).toBe(Date.UTC(2026, 2, 1, 14, 30));
    expect(at('2026-03-01 14:30:00.5')).toBe(Date.UTC(2026, 2, 1, 14, 30, 0, 500));
    expect(() => at('yesterday')).toThrow(/not a timestamp/);
  });
});
