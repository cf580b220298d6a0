import { ConcurrencyError, InvalidEventError } from '@incident/event-store';
import { isLogUnavailable } from './record-batch';

describe('which failures of the log are answered 503 (retry later)', () => {
  it.each([
    [
      'connection refused',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
        code: 'ECONNREFUSED',
      }),
    ],
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    [
      'a statement timeout (57014)',
      {
        name: 'QueryFailedError',
        message: 'canceling statement',
        driverError: { code: '57014' },
      },
    ],
    [
      'an administrator shutdown (57P01)',
      {
        code: '57P01',
        message: 'terminating connection due to administrator command',
      },
    ],
    [
      'too many connections (53300)',
      { code: '53300', message: 'sorry, too many clients already' },
    ],
    [
      'a serialization failure (40001)',
      { code: '40001', message: 'could not serialize access' },
    ],
    [
      'connect failures on every address',
      new AggregateError([
        Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
      ]),
    ],
    [
      'a lost race on a busy stream',
      new ConcurrencyError('source-api', 'any', 7),
    ],
  ])('%s', (_, error) => {
    expect(isLogUnavailable(error)).toBe(true);
  });

  it.each([
    ['an invalid event (a bug)', new InvalidEventError('bad')],
    [
      'a unique violation other than a handled race (23505)',
      { code: '23505', message: 'duplicate key' },
    ],
    [
      'a permission error (42501)',
      { code: '42501', message: 'permission denied' },
    ],
    ['a plain TypeError', new TypeError('x is undefined')],
  ])('but not %s, which a retry would not cure (500)', (_, error) => {
    expect(isLogUnavailable(error)).toBe(false);
  });
});
