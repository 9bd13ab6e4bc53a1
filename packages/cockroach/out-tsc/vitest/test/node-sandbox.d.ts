import { NodeBootSettings } from '../src';
export declare const VERSION = "v25.4.0";
export declare const VOLUME_ID = "vol-0123456789abcdef0";
export declare const NODE_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/node-1-AbCdEf";
export declare const ROOT_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/client-root-AbCdEf";
export declare const LICENSE_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/license-AbCdEf";
export interface RunResult {
    readonly status: number;
    readonly stderr: string;
}
/**
 * A temp directory standing in for a node: `root/` is COCKROACH_BOOT_ROOT, `bin/` holds the
 * stubs (first on PATH), `state/` the stubs' state and call log, with a fake release tarball
 * whose real SHA-256 goes into node.env.
 */
export declare class NodeSandbox {
    readonly dir: string;
    readonly root: string;
    readonly bin: string;
    readonly state: string;
    readonly sha256: string;
    constructor();
    settings(overrides?: Partial<NodeBootSettings>): NodeBootSettings;
    putSecret(arn: string, value: Record<string, string> | string): void;
    attachVolume(): void;
    /** Makes the stub cluster refuse connections `times` times (or always). */
    makeClusterUnavailable(times: number | 'always'): void;
    /** Writes the user data and runs it as cloud-init would (as root, once). */
    runUserData(settings?: NodeBootSettings): RunResult;
    runBoot(): RunResult;
    runBootstrap(): RunResult;
    path(nodePath: string): string;
    read(nodePath: string): string;
    mode(nodePath: string): string;
    calls(): string[];
    cluster(): any;
    /** Every file under root with its mode and content hash: what "changed nothing" compares. */
    snapshot(): Record<string, string>;
    private run;
    /** A tarball shaped like the real release: cockroach-<v>.linux-amd64/{cockroach,lib/...}. */
    private buildRelease;
}
//# sourceMappingURL=node-sandbox.d.ts.map