/**
 * Jest runs the TypeScript sources through ts-jest as CommonJS. Type checking is left to
 * `tsc` (isolatedModules keeps the test run lean on shared CPUs).
 */
module.exports = {
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/.venv/', '<rootDir>/lib/', '<rootDir>/python_kernel_hooks/'],
  testMatch: ['<rootDir>/src/__tests__/**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': [
      'ts-jest',
      {
        tsconfig: {
          isolatedModules: true,
          module: 'commonjs',
          target: 'ES2020',
          esModuleInterop: true,
          resolveJsonModule: true,
          allowSyntheticDefaultImports: true
        }
      }
    ]
  },
  moduleNameMapper: {
    '^web-tree-sitter$': '<rootDir>/node_modules/web-tree-sitter/web-tree-sitter.cjs'
  },
  testTimeout: 120000
};
