import type { CommandModule } from '../cli/context';
import { databaseError, PrivilegeError } from '../cli/database';
import { ExitCode, usageError } from '../cli/exit-codes';
import { ticking } from '../output/progress';
import { count, jsonText, renderFields } from '../output/table';
import { forget } from './forget';

export const forgetCommand: CommandModule = (program, ctx, done) => {
  program
    .command('forget')
    .description("erase a data subject's personal data (a publisher's userId): events keep only its pseudonym, which nothing links back to them any more")
    .argument('<subject>', 'the user id as the publishers sent it')
    .option('--json', 'machine output: {erased, userRef, subjectSince, eventsWithPseudonym, eventsWithPlaintext}')
    .addHelpText(
      'after',
      `
Deletes the subject's row of personal_data (the user id, its key, the link to its pseudonym) and
records the erasure by pseudonym; no event is touched, so verify still passes and replay still
counts the same distinct users. Connect as the owner (an admin in incident_owner): the services'
and auditors' roles may not delete personal data (exit 2).
Exit 0 when something was erased, 1 when nothing was held for the subject (never seen, or forgotten
already). Events recorded before pseudonyms (v1) that hold the id in plaintext are counted, not erased.`,
    )
    .action(async (subject: string, opts: { json?: boolean }) => {
      if (subject.trim() === '') throw usageError('the subject must not be empty');
      const config = ctx.config();
      let result;
      try {
        result = await ctx.withLog((log) => ticking(ctx.io.stderr, 'erasing and counting the events that name the subject', forget(log, subject)), { poolSize: 1 });
      } catch (error) {
        const classified = databaseError(error, config);
        if (classified instanceof PrivilegeError) {
          throw usageError(`forget deletes personal data: connect as the owner (an admin in incident_owner) (${classified.pgMessage} as ${classified.where})`);
        }
        throw classified;
      }
      ctx.out(
        opts.json
          ? jsonText(result)
          : renderFields([
              ['erased', result.erased ? `yes: the link from pseudonym ${result.userRef} to the subject is gone (held since ${result.subjectSince})` : 'nothing: no personal data held for that subject (never seen, or forgotten already)'],
              ...(result.erased ? [['events', `${count(result.eventsWithPseudonym)} name the pseudonym and stay as they are (hash chains untouched)`] as const] : []),
              ...(result.eventsWithPlaintext > 0
                ? [['warning', `${count(result.eventsWithPlaintext)} events recorded before pseudonyms (v1) hold this user id in plaintext in their hashed payload; they cannot be erased without breaking the chain`] as const]
                : []),
            ]),
      );
      done(result.erased ? ExitCode.ok : ExitCode.failed);
    });
};
