import { projectTestConfig } from '../../vitest.shared.mjs';

// The spec files share one module graph (`isolate: false`, as in packages/cockroach): each file no
// longer imports cdktf and the provider classes again (docs/testing.md). No spec here mocks a module
// or changes process-wide state (env, working directory, timers).
export default projectTestConfig(import.meta.dirname, { isolate: false });
