// The jest example's configuration (run by ../test/jest-runner.test.ts). Plain ESM test files, no transform:
// run jest as `node --experimental-vm-modules node_modules/jest/bin/jest.js --config <this file>`.
// Jest ESM: https://jestjs.io/docs/ecmascript-modules ; configuration: https://jestjs.io/docs/configuration
//
// In your project, `@gatehousejs/core` and `@gatehousejs/testing` resolve from node_modules. Inside this repository
// the runner test builds them from the sources into one directory and names it in GATEHOUSE_JEST_MODULES.
import { fileURLToPath } from 'node:url'

const modules = process.env.GATEHOUSE_JEST_MODULES

/** @type {import('jest').Config} */
export default {
  rootDir: fileURLToPath(new URL('.', import.meta.url)),
  testEnvironment: 'node',
  transform: {},
  testMatch: ['**/*.test.mjs'],
  setupFilesAfterEnv: ['<rootDir>/setup.mjs'],
  moduleNameMapper: modules ? { '^@gatehousejs/(core|testing)$': `${modules}/$1.js` } : {},
}
