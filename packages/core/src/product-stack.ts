import { Annotations, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { StackStateAccess } from './iam/state-access';
import { DEFAULT_NAME_PREFIX } from './name-prefix';
import { OutputSpecs, OutputsContract, channelOf } from './outputs-contract';
import { readPublishedParameters } from './published-parameters';
import { RemoteOutputs, readRemoteOutputs } from './remote-outputs';
import { StateBackendConfig, configureStateBackend } from './state-backend';

export interface ProductStackProps {
  /** Where this stack's state lives, and where upstream stacks' state is read from. */
  readonly stateBackend: StateBackendConfig;
  /**
   * Prefix of the names AWS wants unique per account, among them the SSM parameters a stack
   * publishes its outputs to and reads upstream outputs from (`/<namePrefix>/<stack>/...`).
   * @default 'crdb-ory'
   */
  readonly namePrefix?: string;
  /**
   * The names an app gives the product's stacks, by their default name, where it gives them
   * others: a multi-region app names each region's stacks (`{ network: 'network-us-east-2',
   * cockroach: 'cockroach-us-east-2' }`). A stack built with it takes its own name from it and
   * reads each upstream stack under its mapped name (contract, state key, dependency). Names are
   * API: never change one of a deployed stack.
   * @default every stack under its default name
   */
  readonly stackNames?: Readonly<Record<string, string>>;
}

/** `contract` under the name `stackNames` gives its stack (`ProductStackProps.stackNames`); the same contract when it keeps its default name. */
export function contractUnder<S extends OutputSpecs>(contract: OutputsContract<S>, stackNames: Readonly<Record<string, string>> = {}): OutputsContract<S> {
  const name = stackNames[contract.stackName] ?? contract.stackName;
  return name === contract.stackName ? contract : { ...contract, stackName: name };
}

/**
 * How a stack reads an upstream stack: its outputs through `remote-state`, its own state in the
 * bucket an upstream stack creates (`state-backend`), or another channel (SSM parameters...).
 */
export type UpstreamChannel = 'remote-state' | 'ssm-parameters' | 'state-backend' | (string & {});

/** One upstream read a stack made: which stack, through which channel. */
export interface UpstreamRead {
  readonly stackName: string;
  readonly channel: UpstreamChannel;
}

/**
 * A stack of this product: its construct id is its stack name (and state key), which is
 * API: renaming it makes Terraform plan a new, empty stack.
 *
 * Every value a stack reads from another stack goes through a read that records the upstream
 * stack ({@link recordUpstreamRead}; {@link readUpstream} does it for remote state). Before
 * synthesis each recorded upstream that is a stack of the same app becomes a cdktf stack
 * dependency, so `manifest.json` declares exactly the graph of the reads and
 * `cdktf deploy '*'` / `cdktf destroy '*'` follow it. A read and its dependency cannot drift:
 * there is no other way to declare one.
 */
export class ProductStack extends TerraformStack {
  readonly stackName: string;
  readonly stateBackend: StateBackendConfig;
  readonly namePrefix: string;
  private readonly reads = new Map<string, UpstreamRead>();
  private publishes = false;

  private readonly stackNames: Readonly<Record<string, string>>;

  /** `stackName` is the stack's default name; `props.stackNames` may map it to another. */
  constructor(scope: Construct, stackName: string, props: ProductStackProps) {
    const name = props.stackNames?.[stackName] ?? stackName;
    super(scope, name);
    this.stackName = name;
    this.stackNames = props.stackNames ?? {};
    this.stateBackend = props.stateBackend;
    this.namePrefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    configureStateBackend(this, name, props.stateBackend);
    const backend = props.stateBackend;
    if (backend.type === 's3' && backend.bucketStack && backend.bucketStack !== name) this.recordUpstreamRead(backend.bucketStack, 'state-backend');
  }

  /**
   * Typed references to an upstream stack's outputs, read through the contract's channel (remote
   * state, or the SSM parameters the upstream stack publishes under this stack's `namePrefix`),
   * and recorded as a dependency.
   */
  readUpstream<S extends OutputSpecs>(defaultContract: OutputsContract<S>): RemoteOutputs<S> {
    const contract = this.contractOf(defaultContract);
    const channel = channelOf(contract);
    this.recordUpstreamRead(contract.stackName, channel);
    return channel === 'ssm-parameters' ? readPublishedParameters(this, contract, this.namePrefix) : readRemoteOutputs(this, contract, this.stateBackend);
  }

  /** The name this app gives the stack whose default name is `defaultName` (`stackNames`). */
  stackNameOf(defaultName: string): string {
    return this.stackNames[defaultName] ?? defaultName;
  }

  /** `contract` under the name this app gives its stack (`stackNames`); the same contract when it keeps its default name. */
  contractOf<S extends OutputSpecs>(contract: OutputsContract<S>): OutputsContract<S> {
    return contractUnder(contract, this.stackNames);
  }

  /**
   * Records that this stack reads values `stackName` publishes, through `channel` (remote state,
   * or another channel such as SSM parameters the upstream stack writes). Every channel calls
   * this; the recorded stacks become this stack's dependencies at synthesis.
   */
  recordUpstreamRead(stackName: string, channel: UpstreamChannel): void {
    if (stackName === this.stackName) throw new Error(`Stack "${this.stackName}" cannot read its own outputs as an upstream stack.`);
    if (!this.reads.has(stackName)) this.reads.set(stackName, { stackName, channel });
  }

  /** Records that this stack publishes its outputs as SSM parameters (`publishOutputs` of an `ssm-parameters` contract calls it). */
  recordPublishedParameters(): void {
    this.publishes = true;
  }

  /** What plans and applies of this stack read and write (its state, upstream state and parameters): input of `stateAccessPolicy`. */
  get stateAccess(): StackStateAccess {
    return { stackName: this.stackName, reads: this.upstreamReads, publishesParameters: this.publishes };
  }

  /** The upstream reads recorded so far, in the order they were first made. */
  get upstreamReads(): readonly UpstreamRead[] {
    return [...this.reads.values()];
  }

  /**
   * Turns every recorded upstream read into a stack dependency (cdktf calls this on every stack
   * before synthesizing any, so the upstream stack may be added to the app after this one). An
   * upstream that is not a stack of this app cannot be ordered by `cdktf deploy '*'`: a warning
   * says so, and that stack must be deployed before this one by other means.
   */
  override prepareStack(): void {
    const scope = this.node.scope;
    for (const read of this.reads.values()) {
      const upstream = scope?.node.tryFindChild(read.stackName);
      if (upstream && TerraformStack.isStack(upstream)) this.addDependency(upstream);
      else Annotations.of(this).addWarning(`Reads stack "${read.stackName}" (${read.channel}), which is not a stack of this app: \`cdktf deploy '*'\` cannot order it; deploy "${read.stackName}" first.`);
    }
    super.prepareStack();
  }
}
