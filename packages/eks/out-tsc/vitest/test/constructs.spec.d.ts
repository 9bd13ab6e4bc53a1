export {};
//# sourceMappingURL=constructs.spec.d.ts.map