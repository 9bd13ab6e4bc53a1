import type { ConfigurationRow } from '@crdb-ory/review';
import { type DeploymentConfig, isPlainObject } from '../config';

type Notes = (value: unknown, config: DeploymentConfig) => string | undefined;

const WORLD = '0.0.0.0/0';
const hasWorld = (value: unknown) => Array.isArray(value) && value.includes(WORLD);

/**
 * The settings a reviewer must see whatever their value (who can reach what, how resilient,
 * where names and state go), in this order, each with what to know about a risky value.
 */
const KEY_SETTINGS: ReadonlyArray<readonly [string, Notes?]> = [
  ['region'],
  ['availabilityZones'],
  ['namePrefix'],
  ['domain', (value) => (value === undefined ? 'no domain: Ory runs in non-production mode (plain HTTP, Hydra --dev)' : undefined)],
  ['publicAccessCidrs', (value) => (hasWorld(value) ? 'the whole internet may reach Ory\'s public endpoints' : Array.isArray(value) && value.length === 0 ? 'nothing public' : undefined)],
  ['network.natGateways', (value) => (value === 'single' ? 'one NAT gateway per VPC: losing its AZ cuts the egress of every private subnet' : undefined)],
  ['eks.endpointPublicAccessCidrs', (value) => (hasWorld(value) ? 'the whole internet may reach the Kubernetes API' : undefined)],
  [
    'eks.endpointPrivateAccessCidrs',
    (value, config) => (Array.isArray(value) && value.length === 0 && config.eks.endpointPublicAccessCidrs.length === 0 ? 'nobody can reach the Kubernetes API: the ory stack cannot be deployed' : undefined),
  ],
  ['cockroach.adminCidrs'],
  ['stateBackend', (value) => ((value as { type?: string } | undefined)?.type === 'local' ? 'state on this machine only' : undefined)],
  ['monitoring.enabled', (value) => (value === false ? 'no alarms' : undefined)],
  ['cockroach.backup.enabled', (value) => (value === false ? 'no backups' : undefined)],
];

const MAX_VALUE_LENGTH = 100;

/**
 * The review's configuration table: the key settings, then every other setting whose value
 * differs from the defaults' (objects compared key by key, arrays as a whole).
 */
export function configurationRows(config: DeploymentConfig, defaults: DeploymentConfig): ConfigurationRow[] {
  const keys = KEY_SETTINGS.map(([setting]) => setting);
  const key = KEY_SETTINGS.map(([setting, notes]) => row(setting, valueAt(config, setting), valueAt(defaults, setting), notes?.(valueAt(config, setting), config)));
  const others = differingLeaves(config, defaults)
    .filter((path) => !keys.some((k) => path === k || path.startsWith(`${k}.`)))
    .map((path) => row(path, valueAt(config, path), valueAt(defaults, path)));
  return [...key, ...others];
}

function row(setting: string, value: unknown, defaultValue: unknown, note?: string): ConfigurationRow {
  const same = JSON.stringify(value) === JSON.stringify(defaultValue);
  return { setting, value: shown(value), ...(same ? {} : { defaultValue: shown(defaultValue) }), ...(note ? { note } : {}) };
}

function shown(value: unknown): string {
  const text = value === undefined ? 'none' : JSON.stringify(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 3)}...` : text;
}

function valueAt(config: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (isPlainObject(value) ? value[key] : undefined), config);
}

/** Setting paths whose values differ: objects by key, anything else (arrays too) as a whole. */
function differingLeaves(value: unknown, defaults: unknown, path: string[] = []): string[] {
  if (isPlainObject(value) && isPlainObject(defaults)) {
    const keys = [...new Set([...Object.keys(defaults), ...Object.keys(value)])];
    return keys.flatMap((key) => differingLeaves(value[key], defaults[key], [...path, key]));
  }
  if (isPlainObject(value) && defaults === undefined) return Object.keys(value).flatMap((key) => differingLeaves(value[key], undefined, [...path, key]));
  return JSON.stringify(value) === JSON.stringify(defaults) ? [] : [path.join('.')];
}
