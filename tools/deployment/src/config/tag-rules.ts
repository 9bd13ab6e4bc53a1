import type { ConfigIssue } from './config-error';
import type { DeploymentConfig } from './schema';

/** What every AWS service accepts in a tag (IAM and S3 are the strictest, and default tags reach them). */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_CHARACTERS_TEXT = 'letters, digits, spaces and _ . : / = + - @';
/** AWS allows 50 tags per resource; the stacks add up to 4 of their own (Name, Tier, kubernetes.io/...). */
export const MAX_DEPLOYMENT_TAGS = 45;

/**
 * The deployment's tags become provider default tags on every resource, so each must be one
 * that every service accepts: keys 1-128 characters not starting with `aws:` (any case), values
 * up to 256, both from the common character set, and no two keys that differ only in case (IAM
 * treats them as one).
 */
export function tagsAccepted(config: DeploymentConfig): ConfigIssue[] {
  const entries = Object.entries(config.tags);
  const issues: ConfigIssue[] = [];
  if (entries.length > MAX_DEPLOYMENT_TAGS) {
    issues.push({ setting: 'tags', value: `${entries.length} tags`, message: `must hold at most ${MAX_DEPLOYMENT_TAGS} tags: AWS allows 50 per resource and the stacks add up to 4 of their own` });
  }
  for (const [key, value] of entries) {
    const setting = `tags.${key}`;
    if (key.length === 0 || [...key].length > 128) issues.push({ setting, value: key, message: 'must be a tag key of 1 to 128 characters, as AWS allows' });
    if ([...value].length > 256) issues.push({ setting, value: `${[...value].length} characters`, message: 'is a tag value longer than the 256 characters AWS allows' });
    if (/^aws:/i.test(key)) issues.push({ setting, value: key, message: 'is a tag key with the reserved prefix "aws:", which AWS refuses' });
    if (!TAG_CHARACTERS.test(key)) issues.push({ setting, value: key, message: `is a tag key with characters AWS refuses; allowed: ${TAG_CHARACTERS_TEXT}` });
    if (!TAG_CHARACTERS.test(value)) issues.push({ setting, value, message: `is a tag value with characters AWS refuses; allowed: ${TAG_CHARACTERS_TEXT}` });
  }
  const seen = new Map<string, string>();
  for (const [key] of entries) {
    const other = seen.get(key.toLowerCase());
    if (other !== undefined) issues.push({ setting: `tags.${key}`, value: key, message: `differs from the tag key "${other}" only in case; IAM treats tag keys case-insensitively and would refuse both` });
    else seen.set(key.toLowerCase(), key);
  }
  return issues;
}
