import 'reflect-metadata';

export { createTestRegistry } from './create-test-registry';
export type { TestConfig, TestRegistryOptions } from './create-test-registry';
