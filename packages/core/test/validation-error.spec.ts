import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_RETENTION_DAYS, LOG_RETENTION_DAYS, ValidationError, childPath, logRetentionProblems, throwIfProblems } from '../src';

describe('ValidationError: the one error of bad props', () => {
  const stack = new TerraformStack(new App(), 'network');
  const construct = new Construct(stack, 'flow-logs');

  it('names the construct path, then each prop, its value and what is allowed', () => {
    const problems = [
      { prop: 'retentionInDays', value: 42, message: 'must be one of the CloudWatch Logs retention periods' },
      { prop: 'trafficType', value: Number.NaN, message: 'must be ALL, ACCEPT or REJECT' },
    ];
    const error = captured(() => throwIfProblems(construct, problems));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.constructPath).toBe('network/flow-logs');
    expect(error.problems).toEqual(problems);
    expect(error.message).toBe('Invalid props of network/flow-logs:\n  - retentionInDays = 42: must be one of the CloudWatch Logs retention periods\n  - trafficType = NaN: must be ALL, ACCEPT or REJECT');
  });

  it('checks before a construct exists, under the path it will have; no problems, no error', () => {
    expect(childPath(stack, 'role')).toBe('network/role');
    expect(captured(() => throwIfProblems(childPath(stack, 'role'), [{ prop: 'name', value: '', message: 'must not be empty' }])).constructPath).toBe('network/role');
    expect(() => throwIfProblems(construct, [])).not.toThrow();
  });
});

describe('CloudWatch Logs retention: one list, one default, one rule', () => {
  it('accepts the periods CloudWatch Logs accepts, and the default is one of them', () => {
    expect(LOG_RETENTION_DAYS).toContain(DEFAULT_LOG_RETENTION_DAYS);
    expect(DEFAULT_LOG_RETENTION_DAYS).toBe(365);
    expect(logRetentionProblems('retentionInDays', 731)).toEqual([]);
    expect(logRetentionProblems('retentionInDays', 42)).toEqual([{ prop: 'retentionInDays', value: 42, message: expect.stringMatching(/^must be one of the CloudWatch Logs retention periods: 1, 3, 5, 7, 14, 30, .*, 3653$/) }]);
  });
});

function captured(action: () => void): ValidationError {
  try {
    action();
  } catch (error) {
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}
