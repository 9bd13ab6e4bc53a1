export {};
//# sourceMappingURL=cidr.spec.d.ts.map