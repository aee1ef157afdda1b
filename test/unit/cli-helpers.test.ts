import { routeStdoutToStderr } from '../../src/cli/main';
import { Progress } from '../../src/cli/progress';
import { createSilentLogger, PluginStartupError } from '../../src';
import { failureDetail, formatProblems, problemOf, setVerbose } from '../../src/cli/output';

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

describe('failureDetail and problemOf under --verbose', () => {
  afterEach(() => setVerbose(false));

  it('adds nothing unless verbose, then the stack and each cause with its own', () => {
    const error = new PluginStartupError('floe.storage:s3', new Error('disk full', { cause: new Error('EIO') }));
    expect(failureDetail(error)).toBe('');
    expect(problemOf(error, 'floe.storage:s3')).toEqual({
      code: 'PLUGIN_STARTUP_FAILED',
      plugin: 'floe.storage:s3',
      message: error.message,
    });
    setVerbose(true);
    const detail = failureDetail(error);
    expect(detail).toMatch(/^\n {4}PluginStartupError: /);
    expect(detail).toContain('    Caused by: Error: disk full');
    expect(detail).toContain('    Caused by: Error: EIO');
    const problem = problemOf(error, 'floe.storage:s3');
    expect(problem.stack).toContain('PluginStartupError');
    expect(problem.cause).toMatchObject({ message: 'disk full', cause: { message: 'EIO' } });
    expect(formatProblems([problem])).toMatch(/Caused by: Error: disk full[\s\S]*Caused by: Error: EIO/);
  });
});
