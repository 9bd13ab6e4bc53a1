/**
 * What a node boots with. A running node never changes these by itself: its `aws_instance`
 * ignores changes to them (`ami`, `user_data`, `instance_type`), and a new value takes effect
 * only when that one node is deliberately replaced (`terraform apply -replace=<its instance>`).
 */
export interface NodeSettings {
  /**
   * The AMI the node boots from: the id AWS's Amazon Linux 2023 parameter resolves to at plan time
   * (a Terraform expression). When AWS publishes a newer image, a plain apply records it here and
   * every node shows up as pending replacement: operating-system patches roll one node at a time
   * through the roll, like a new version.
   */
  readonly amiId: string;
  readonly cockroachVersion: string;
  readonly cockroachSha256: string;
  /** `--cache` */
  readonly cache: string;
  /** `--max-sql-memory` */
  readonly maxSqlMemory: string;
  readonly instanceType: string;
  /** SHA-256 of the rendered user data (a Terraform expression): covers every boot input, including the scripts. */
  readonly userDataSha256: string;
}

/**
 * The settings as the `input` of the node's `terraform_data` resources, with stable snake_case
 * keys: this is what `terraform plan` shows when a setting changes, and what a rolling tool
 * compares (`<node>_settings` = wanted, `<node>_running-settings` = what the instance booted with).
 */
export function nodeSettingsInput(settings: NodeSettings): Record<string, string> {
  return {
    ami_id: settings.amiId,
    cockroach_version: settings.cockroachVersion,
    cockroach_sha256: settings.cockroachSha256,
    cache: settings.cache,
    max_sql_memory: settings.maxSqlMemory,
    instance_type: settings.instanceType,
    user_data_sha256: settings.userDataSha256,
  };
}
