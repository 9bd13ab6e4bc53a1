export {};
//# sourceMappingURL=terraform.spec.d.ts.map