import { types } from 'pg';
import { parseTimestamptz } from './timestamptz';

const pgParser = types.getTypeParser(types.builtins.TIMESTAMPTZ) as (
  text: string,
) => Date;

describe('parsing timestamptz text fast', () => {
  it.each([
    '2025-01-02 03:04:05+00',
    '2025-01-02 03:04:05.1+00',
    '2025-01-02 03:04:05.123+00',
    '2025-01-02 03:04:05.123999+00',
    '2025-01-02 03:04:05.000001+00',
    '2025-01-02 03:04:05.678+05:30',
    '2025-01-02 03:04:05.678-09:30',
    '2025-12-31 23:59:59.999-03',
    '2024-02-29 12:00:00+14',
    '1900-01-01 00:00:00+00:53:28',
    '0100-01-01 00:00:00+00',
    '9999-12-31 23:59:59.999999+00',
  ])('reads %s exactly as node-postgres does', (text) => {
    expect(parseTimestamptz(text).getTime()).toBe(pgParser(text).getTime());
  });

  it.each([
    'infinity',
    '-infinity',
    '2025-01-02 03:04:05+00 BC',
    '0099-01-01 00:00:00+00',
    '12025-01-02 03:04:05+00',
  ])('leaves the unusual %s to node-postgres', (text) => {
    const ours = parseTimestamptz(text);
    const theirs = pgParser(text);
    expect(ours instanceof Date ? ours.getTime() : ours).toEqual(
      theirs instanceof Date ? theirs.getTime() : theirs,
    );
  });
});
