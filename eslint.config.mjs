import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/out-tsc', '**/node_modules', '**/cdktf.out', '**/__snapshots__', '**/vitest.config.mts', 'vitest.shared.mts'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:testdata', onlyDependOnLibsWithTags: ['type:testdata'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
    },
  },
  {
    // The offline review is a proof step like the tests: it may render the chart packages of the
    // test data (type:testdata). Nothing else outside test files may.
    files: ['apps/us-east-1/src/review/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [{ sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:tool', 'type:testdata'] }],
        },
      ],
    },
  },
  {
    // Tests read synthesized Terraform JSON, which has no static type. Only tests may use the
    // reference test data (type:testdata); product sources never load it.
    files: ['**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:tool', 'type:testdata'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool', 'type:testdata'] },
            // A library's tests may run the offline tools (e.g. Helm on the real charts).
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:testdata', 'type:tool'] },
            { sourceTag: 'type:testdata', onlyDependOnLibsWithTags: ['type:testdata'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', 'type:testdata'] },
          ],
        },
      ],
    },
  },
];
