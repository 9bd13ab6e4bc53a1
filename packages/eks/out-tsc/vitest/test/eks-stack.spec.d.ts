export {};
//# sourceMappingURL=eks-stack.spec.d.ts.map