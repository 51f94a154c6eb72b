/** Unit tests of the storefront: Angular's TestBed, zoneless, in jsdom (see README for why Jest). */
const { createCjsPreset } = require('jest-preset-angular/presets');

module.exports = {
  displayName: 'web',
  rootDir: __dirname,
  ...createCjsPreset({ tsconfig: '<rootDir>/tsconfig.spec.json' }),
  testEnvironment: 'jsdom',
  setupFilesAfterEnv: ['<rootDir>/setup-jest.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // jose ships only ES modules: compile it to CommonJS like the app's own code.
  transformIgnorePatterns: ['node_modules/(?!(jose|.*\\.mjs$))'],
};
