import { basename } from 'node:path';

/** A stack name: what the synthesized stacks are called (`state`, `cockroach-pki`, ...). */
export const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The stack a plan file is for when the command line does not say: `plans/cockroach.plan.json` is `cockroach`. */
export function stackNameFromFile(file: string): string {
  return basename(file).replace(/(\.plan)?\.json$/, '');
}
