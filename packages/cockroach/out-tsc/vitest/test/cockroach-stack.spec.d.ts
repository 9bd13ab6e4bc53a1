export {};
//# sourceMappingURL=cockroach-stack.spec.d.ts.map