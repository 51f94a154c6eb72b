/** Browser end-to-end tests: the built storefront in Debian's Chromium against the real local stack. */
module.exports = {
  displayName: 'e2e',
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: require('../../jest.swc.js'),
  testMatch: ['<rootDir>/**/*.e2e.ts'],
  globalSetup: '<rootDir>/global-setup.ts',
  testTimeout: 120_000,
};
