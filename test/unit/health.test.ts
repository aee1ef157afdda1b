import { HealthState, isHealthStatus } from '../../src';

describe('isHealthStatus', () => {
  it('accepts a complete status in each state', () => {
    for (const state of Object.values(HealthState)) {
      expect(isHealthStatus({ state, message: '', details: {} })).toBe(true);
    }
  });

  it.each([
    undefined,
    null,
    'healthy',
    {},
    { state: 'ok', message: '', details: {} },
    { state: 'healthy', details: {} },
    { state: 'healthy', message: 1, details: {} },
    { state: 'healthy', message: '' },
    { state: 'healthy', message: '', details: null },
    { state: 'healthy', message: '', details: [] },
  ])('refuses %p', (value) => {
    expect(isHealthStatus(value)).toBe(false);
  });
});
