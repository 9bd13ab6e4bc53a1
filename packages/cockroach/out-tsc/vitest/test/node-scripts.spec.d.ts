export {};
//# sourceMappingURL=node-scripts.spec.d.ts.map