declare const _default: import("vite", { with: { "resolution-mode": "import" } }).UserConfig;
export default _default;
//# sourceMappingURL=vitest.config.d.ts.map