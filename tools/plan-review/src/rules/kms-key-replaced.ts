import { removalRule } from './removal-rule';

export const KMS_KEY_REPLACED = removalRule({
  id: 'kms-key-replaced',
  title: 'KMS key replaced or destroyed',
  description:
    'Whatever the old key encrypted (volumes, secrets, state, backups) can no longer be decrypted once the key is deleted at the end of its deletion window.',
  resourceTypes: ['aws_kms_key'],
});
