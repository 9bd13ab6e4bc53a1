import baseConfig from '../../eslint.config.mjs';

// Tests run the synthesized stack through terraform with the (type:tool) terraform harness;
// the library's own sources stay restricted to type:lib.
const boundaries = baseConfig.find((entry) => entry.rules?.['@nx/enforce-module-boundaries']).rules['@nx/enforce-module-boundaries'];
const [level, options] = boundaries;

export default [
  ...baseConfig,
  // Declarations `tsc --build` emits for the specs.
  { ignores: ['out-tsc'] },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        level,
        {
          ...options,
          depConstraints: options.depConstraints.map((constraint) =>
            constraint.sourceTag === 'type:lib' ? { ...constraint, onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] } : constraint,
          ),
        },
      ],
    },
  },
];
