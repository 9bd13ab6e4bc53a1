import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlanInputError, parsePlan } from '@crdb-ory/core/terraform';
import { renderAttributePath, reviewedChanges } from '../src';
import { planJson } from './plan-fixture';

const realText = readFileSync(join(__dirname, 'fixtures', 'terraform-data.plan.json'), 'utf8');

function parseError(json: string | object): string {
  try {
    parsePlan(json, 'cockroach.plan.json');
  } catch (error) {
    expect(error).toBeInstanceOf(PlanInputError);
    return (error as Error).message;
  }
  throw new Error('parsePlan accepted the input');
}

describe('parsePlan', () => {
  it('reads a real plan of Terraform 1.11: kinds, replace_paths, action_reason', () => {
    const plan = parsePlan(realText, 'real.plan.json');
    expect(plan.formatVersion).toBe('1.2');
    expect(plan.terraformVersion).toBe('1.11.4');
    const byAddress = Object.fromEntries(plan.resourceChanges.map((c) => [c.address, c]));
    expect(byAddress['terraform_data.keep']?.kind).toBe('no-op');
    expect(byAddress['terraform_data.added[0]']?.kind).toBe('create');
    expect(byAddress['terraform_data.gone[0]']).toMatchObject({ kind: 'delete', actionReason: 'delete_because_count_index', name: 'gone' });
    expect(byAddress['terraform_data.upd']?.kind).toBe('update');
    expect(byAddress['terraform_data.cbd']).toMatchObject({ actions: ['create', 'delete'], kind: 'replace', replacePaths: [['triggers_replace']] });
    expect(byAddress['terraform_data.trig']).toMatchObject({ actions: ['delete', 'create'], kind: 'replace', actionReason: 'replace_because_cannot_update' });
    // -replace= names no forcing attribute: replace_paths is absent.
    expect(byAddress['terraform_data.rep']).toMatchObject({ kind: 'replace', replacePaths: [], actionReason: 'replace_by_request' });
  });

  it('accepts the parsed JSON as well as its text', () => {
    expect(parsePlan(JSON.parse(realText), 'real.plan.json').resourceChanges).toHaveLength(8);
  });

  it('names the file when it is not JSON', () => {
    expect(parseError('Planning failed. Terraform encountered an error')).toMatch(/^cockroach\.plan\.json: not JSON \(/);
  });

  it('names the file when it is not a plan (no resource_changes, as in terraform show -json of a state)', () => {
    expect(parseError({ format_version: '1.0', values: { root_module: {} } })).toBe(
      'cockroach.plan.json: no "resource_changes": not the output of `terraform show -json <planfile>` (a state, or a plan shown without its plan file?)',
    );
    expect(parseError([])).toBe('cockroach.plan.json: expected a JSON object (terraform show -json <planfile>), got an array');
  });

  it('rejects a format_version of another major version, naming it and what is supported', () => {
    expect(parseError({ ...planJson([]), format_version: '2.0' })).toBe('cockroach.plan.json: unsupported format_version "2.0" (supported: 1.x)');
    expect(parseError({ ...planJson([]), format_version: 1 })).toBe('cockroach.plan.json: "format_version" must be a string like "1.2", got a number');
  });

  it('names the entry and the field of a malformed resource change', () => {
    const change = { address: 'aws_instance.node-1_instance_9677A2F7', mode: 'managed', type: 'aws_instance', name: 'node-1_instance_9677A2F7', change: { actions: ['replace'] } };
    expect(parseError({ ...planJson([]), resource_changes: [change] })).toBe(
      'cockroach.plan.json: resource_changes[0] (aws_instance.node-1_instance_9677A2F7): change.actions has "replace"; allowed: no-op, create, read, update, delete, forget',
    );
    expect(parseError({ ...planJson([]), resource_changes: [{ ...change, change: { actions: ['update', 'create'] } }] })).toMatch(/change\.actions \["update","create"\] is not a combination Terraform writes/);
    expect(parseError({ ...planJson([]), resource_changes: [{ ...change, address: undefined }] })).toBe('cockroach.plan.json: resource_changes[0]: "address" must be a non-empty string, got nothing');
  });

  it('leaves data source reads and no-ops out of the reviewed changes', () => {
    const plan = parsePlan(
      planJson([
        { address: 'data.aws_ami.ubuntu', mode: 'data', actions: ['read'] },
        { address: 'aws_instance.node-1_instance_9677A2F7', actions: ['no-op'] },
        { address: 'aws_kms_key.key', actions: ['update'] },
      ]),
      'x.json',
    );
    expect(reviewedChanges(plan).map((c) => c.address)).toEqual(['aws_kms_key.key']);
  });
});

describe('renderAttributePath', () => {
  it('renders attribute names, list indexes and map keys the way Terraform shows them', () => {
    expect(renderAttributePath(['user_data_base64'])).toBe('user_data_base64');
    expect(renderAttributePath(['root_block_device', 0, 'volume_size'])).toBe('root_block_device[0].volume_size');
    expect(renderAttributePath(['tags', 'kubernetes.io/cluster'])).toBe('tags["kubernetes.io/cluster"]');
  });
});
