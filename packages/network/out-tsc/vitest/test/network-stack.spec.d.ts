export {};
//# sourceMappingURL=network-stack.spec.d.ts.map