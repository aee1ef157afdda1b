import { routeStdoutToStderr } from '../../src/cli/main';
import { Progress } from '../../src/cli/progress';
import { createSilentLogger } from '../../src';

describe('routeStdoutToStderr', () => {
  it('sends what is written to stdout to stderr until restored', () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const original = process.stdout.write;
    try {
      const restore = routeStdoutToStderr();
      process.stdout.write('chatter\n');
      restore();
      expect(stderr).toHaveBeenCalledWith('chatter\n');
      expect(process.stdout.write).toBe(original);
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('Progress', () => {
  it('shows what is in flight with its elapsed time, the oldest first, and clears the line when nothing is', () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = new Progress(
      (text) => lines.push(text),
      () => clock,
    );
    const logger = progress.logger(createSilentLogger());
    for (const name of ['a', 'b', 'c', 'd'])
      logger.debug(`starting ${name}`, { event: 'plugin.starting', plugin: `floe.secrets:${name}` });
    clock = 1500;
    logger.info('started b', { event: 'plugin.started', plugin: 'floe.secrets:b' });
    expect(lines[lines.length - 1]).toBe(
      '\r\u001b[K… starting floe.secrets:a (1.5 s), starting floe.secrets:c (1.5 s), starting floe.secrets:d (1.5 s)',
    );
    logger.debug('started d', { event: 'plugin.loading', plugin: 'floe.secrets:e' });
    expect(lines[lines.length - 1]).toContain('+1 more');
    for (const name of ['a', 'c', 'd', 'e'])
      logger.info(`done ${name}`, {
        event: name === 'e' ? 'plugin.loaded' : 'plugin.started',
        plugin: `floe.secrets:${name}`,
      });
    expect(lines[lines.length - 1]).toBe('\r\u001b[K');
    logger.warn('unrelated', { event: 'discovery.issue' });
    logger.error('no event');
    progress.stop();
  });
});
