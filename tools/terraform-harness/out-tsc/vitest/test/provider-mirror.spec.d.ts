export {};
//# sourceMappingURL=provider-mirror.spec.d.ts.map