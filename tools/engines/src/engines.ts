/**
 * The CDK engines this project supports. Both are installed under the package name `cdktf`, so
 * that the `@cdktf/provider-*` bindings, whose peer dependency is `cdktf`, load the same copy as
 * our code: installing `cdktn` under its own name beside them crashes at synthesis (measured:
 * `e._resetResolveDiscoveredProviderFeatureUsage is not a function`), which CDK Terrain's own
 * upgrade guide calls "partially supported" (https://cdktn.io/docs/release/upgrade-guide-v0-22,
 * "Transitional Period (Dual Dependencies)").
 *
 * The workspace runs on the engine its root package.json installs as `cdktf` (the one place
 * the choice is made); the engine test checks every other one against it.
 */
export interface Engine {
  /** The npm package that provides it. */
  readonly name: 'cdktf' | 'cdktn';
  /** The exact version we test. */
  readonly version: string;
  /** `constructs` versions its own peer dependency accepts (npm refuses others). */
  readonly constructsRange: string;
}

/** The package name every engine is installed under. */
export const ENGINE_PACKAGE = 'cdktf';

export const ENGINES: readonly Engine[] = [
  // HashiCorp's last release; the project is archived since 2025-12-10. Peer: constructs ^10.4.2 (npm view cdktf@0.21.0).
  { name: 'cdktf', version: '0.21.0', constructsRange: '^10.4.2' },
  // CDK Terrain, open-constructs/cdk-terrain. Peer: constructs >=10.6.0 <10.8.0 (npm view cdktn@0.24.0).
  { name: 'cdktn', version: '0.24.0', constructsRange: '>=10.6.0 <10.8.0' },
];

/**
 * Keeps one copy of the engine in an app: every `cdktf` in the tree (the providers' peer
 * dependency, cdktf-cli's own dependency) becomes the app's. Without it npm refuses to install
 * `@cdktf/provider-aws` (peer `cdktf@^0.21.0`) beside cdktn 0.24 (ERESOLVE).
 */
export const ENGINE_OVERRIDES: Readonly<Record<string, string>> = { [ENGINE_PACKAGE]: `$${ENGINE_PACKAGE}` };

/** The npm spec that installs `engine` under the name `cdktf`: `0.21.0`, `npm:cdktn@0.24.0`. */
export function engineSpec(engine: Engine): string {
  return engine.name === ENGINE_PACKAGE ? engine.version : `npm:${engine.name}@${engine.version}`;
}

/** The supported engine a `cdktf` dependency spec installs; throws naming what is supported. */
export function engineOfSpec(spec: string | undefined): Engine {
  const engine = ENGINES.find((candidate) => engineSpec(candidate) === spec);
  if (!engine) {
    const supported = ENGINES.map((candidate) => `"${engineSpec(candidate)}"`).join(' or ');
    throw new Error(`The root package.json's dependency "${ENGINE_PACKAGE}" is ${spec === undefined ? 'missing' : `"${spec}"`}; a supported engine is ${supported}.`);
  }
  return engine;
}

/** The parts of a package.json the engine choice lives in. */
export interface EngineManifest {
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/**
 * The engine a project (the workspace, a consumer) installs, checked to be installable as one
 * copy: a supported spec, and the override that keeps the providers on it.
 */
export function engineOfManifest(manifest: EngineManifest): Engine {
  const engine = engineOfSpec(manifest.dependencies?.[ENGINE_PACKAGE]);
  const override = manifest.overrides?.[ENGINE_PACKAGE];
  if (override !== ENGINE_OVERRIDES[ENGINE_PACKAGE]) {
    throw new Error(`The package.json's "overrides" must map "${ENGINE_PACKAGE}" to "${ENGINE_OVERRIDES[ENGINE_PACKAGE]}" (got ${JSON.stringify(override)}): without it the @cdktf/provider-* packages keep their own copy of the engine, or npm refuses the install.`);
  }
  return engine;
}

/** The supported engine called `name`. */
export function engineNamed(name: Engine['name']): Engine {
  const engine = ENGINES.find((candidate) => candidate.name === name);
  if (!engine) throw new Error(`No supported engine is called ${name}.`);
  return engine;
}

/** Every supported engine but `engine`. */
export function otherEngines(engine: Engine): Engine[] {
  return ENGINES.filter((candidate) => candidate.name !== engine.name);
}

/** `cdktn 0.24.0` */
export function engineLabel(engine: Engine): string {
  return `${engine.name} ${engine.version}`;
}
