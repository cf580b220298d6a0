import { renderFields, renderTable } from './table';

describe('tables for people', () => {
  it('pads columns to their widest cell, right-aligns numbers asked to, and never pads the last column', () => {
    const text = renderTable(
      [
        { id: 'a', n: 5, title: 'short' },
        { id: 'bbbb', n: 12345, title: 'longer title' },
      ],
      [
        { header: 'ID', value: (r) => r.id },
        { header: 'N', value: (r) => r.n, align: 'right' },
        { header: 'TITLE', value: (r) => r.title },
      ],
    );
    expect(text).toBe(['ID         N  TITLE', '----  ------  ------------', 'a          5  short', 'bbbb  12,345  longer title', ''].join('\n'));
  });

  it('cuts long cells with an ellipsis, shows missing values as -, and keeps one row on one line', () => {
    const text = renderTable([{ t: 'abcdefghij', u: null, v: 'two\nlines' }], [
      { header: 'T', value: (r) => r.t, max: 5 },
      { header: 'U', value: (r) => r.u },
      { header: 'V', value: (r) => r.v },
    ]);
    expect(text.split('\n')[2]).toBe('abcd…  -  two lines');
  });

  it('prints only the header and rule for no rows', () => {
    expect(renderTable([], [{ header: 'ID', value: () => 'x' }])).toBe('ID\n--\n');
  });

  it('lines up key/value fields', () => {
    expect(renderFields([['status', 'open'], ['resolved at', null], ['signals', 1200]])).toBe('status       open\nresolved at  -\nsignals      1,200\n');
  });
});
