export {};
//# sourceMappingURL=shellcheck.spec.d.ts.map