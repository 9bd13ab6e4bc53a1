/**
 * The Go runtime's garbage-collection target for terraform and its provider processes in this
 * repository's own runs (the deploy rehearsal, the offline review, the tests that run terraform).
 * Providers inherit terraform's environment (hashicorp/go-plugin client.go `Start`, `cmd.Env =
 * append(cmd.Env, os.Environ()...)` unless `SkipHostEnv`). `GOGC=400` lets the heap grow to five
 * times the live heap before a collection, where the default 100 collects at twice. Every provider
 * start builds and serializes hashicorp/aws's whole schema (about 1,500 resource types), mostly
 * short-lived allocations: measured on this machine, a plan took about a quarter less CPU, for
 * about an eighth more peak memory (docs/rehearsal.md, "Where the rehearsal's CPU goes"). It
 * changes when memory is collected, nothing terraform or the provider does (Go `runtime` package
 * documentation, "Environment Variables": GOGC; "A Guide to the Go Garbage Collector",
 * go.dev/doc/gc-guide). Commands an operator runs against a real account (the teardown, the
 * day-2 commands) keep the operator's own environment.
 */
export const GO_RUNTIME_ENV: Readonly<Record<string, string>> = { GOGC: '400' };
