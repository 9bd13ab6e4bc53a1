export {};
//# sourceMappingURL=pki-stack.spec.d.ts.map