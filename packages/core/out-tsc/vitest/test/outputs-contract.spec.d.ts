export {};
//# sourceMappingURL=outputs-contract.spec.d.ts.map