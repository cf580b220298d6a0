import { type Scratch, createScratch } from '../int-support/scratch';
import { START } from './types';

describe('checkpoints', () => {
  let s: Scratch;
  beforeAll(async () => {
    s = await createScratch();
  });
  afterAll(() => s.dispose());

  it('stores a position without waiting for the WAL flush, and only that statement runs so', async () => {
    const position = { transactionId: '1234', globalPosition: '42' };
    await s.checkpoints.store('lazy-reader', position, undefined, { synchronousCommit: false });
    expect(await s.checkpoints.load('lazy-reader')).toEqual(position);
    const moved = { transactionId: '1300', globalPosition: '57' };
    await s.checkpoints.store('lazy-reader', moved, undefined, { synchronousCommit: false });
    expect(await s.checkpoints.load('lazy-reader')).toEqual(moved);
    // set_config(..., true) ends with the statement's own transaction: the pooled session keeps
    // committing synchronously for everyone who borrows it next.
    const settings: { synchronous_commit: string }[] = await s.dataSource.query('SHOW synchronous_commit');
    expect(settings[0].synchronous_commit).toBe('on');
  });

  it('refuses a lazy store inside a transaction, where the checkpoint commits with an effect', async () => {
    await expect(
      s.dataSource.transaction((manager) => s.checkpoints.store('in-tx', START, manager, { synchronousCommit: false })),
    ).rejects.toThrow(/not inside a transaction/);
  });
});
