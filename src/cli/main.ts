#!/usr/bin/env node
import '../runtime/node-version-notice.js';
import { Command } from 'commander';
import { ConfigError } from '../config.js';
import { LocalRuntimeError } from '../local/errors.js';
import { MessagingError } from '../messaging/errors.js';
import { SeedConflictError } from '../seed/seed.js';
import { check } from './check-command.js';
import {
  drop,
  getConversation,
  listConversations,
  listTablesCommand,
  scan,
  schemaLoad,
  seed,
} from './commands.js';
import { UsageError } from './errors.js';
import { backfillPeopleCommand, findUsers } from './people-commands.js';

const program = new Command('ddb')
  .description(
    'The cruddur-messages table: load the schema, seed demo data, scan, run access patterns. ' +
      'Without --endpoint or --aws: the embedded DynamoDB Local on DATA_DIR (default .data/), ' +
      'shared with a running `npm start`.',
  )
  .option('--endpoint <url>', 'a DynamoDB-compatible endpoint (DynamoDB Local, LocalStack, ...)')
  .option('--aws', 'real DynamoDB via the standard AWS credential chain and region')
  .option('--table <name>', 'table name (default: DDB_TABLE or cruddur-messages)')
  .showHelpAfterError();

const globals = () => program.opts<{ endpoint?: string; aws?: boolean; table?: string }>();

program
  .command('schema-load')
  .description('create the table if it does not exist')
  .action(() => schemaLoad(globals()));
program
  .command('list-tables')
  .description('list the tables')
  .action(() => listTablesCommand(globals()));
program
  .command('drop')
  .description('delete the table and all its data')
  .option('--yes', 'confirm')
  .action((options: { yes?: boolean }) => drop({ ...globals(), ...options }));
program
  .command('seed')
  .description('load the schema and the demo users and conversations (repeatable)')
  .action(() => seed(globals()));
program
  .command('backfill-people')
  .description(
    'write the people-search items of users created before people search (repeatable: ' +
      'conditional puts, an item already there is left as it is)',
  )
  .action(() => backfillPeopleCommand(globals()));
program
  .command('scan')
  .description('print the items of the table')
  .option('--limit <n>', 'at most this many items', '50')
  .action((options: { limit?: string }) => scan({ ...globals(), ...options }));

program
  .command('check')
  .description(
    'check every item against the invariants (one row per participant at the newest message, ' +
      'one conversation per pair, ...); prints each violation, exit status 1 if any',
  )
  .option('--segments <n>', 'parallel Scan segments, for large tables', '1')
  .option('--json', 'print the report as one JSON object')
  .action((options: { segments?: string; json?: boolean }) => check({ ...globals(), ...options }));

const patterns = program
  .command('patterns')
  .description('run an access pattern and show what it cost');
patterns
  .command('list-conversations <handle>')
  .description('pattern B: the conversations of a user, newest first')
  .option('--limit <n>', 'page size, 1-100', '20')
  .option('--before <sk>', 'start after this sort key (from "More:")')
  .action((handle: string, options: { limit?: string; before?: string }) =>
    listConversations(handle, { ...globals(), ...options }),
  );
patterns
  .command('get-conversation <message_group_uuid>')
  .description('pattern A: the messages of a conversation')
  .option('--limit <n>', 'page size, 1-100', '20')
  .option('--before <sk>', 'start after this sort key (from "More:")')
  .action((group: string, options: { limit?: string; before?: string }) =>
    getConversation(group, { ...globals(), ...options }),
  );
patterns
  .command('find-users <text>')
  .description(
    'people search: users whose handle, or a word of whose name, starts with the text ' +
      '(case and accents ignored), handle matches first',
  )
  .option('--limit <n>', 'at most this many, 1-20', '10')
  .option(
    '--as <handle>',
    'search as this user: they are left out, as the API leaves out the caller',
  )
  .action((text: string, options: { limit?: string; as?: string }) =>
    findUsers(text, { ...globals(), ...options }),
  );

const EXPECTED = [UsageError, ConfigError, LocalRuntimeError, MessagingError, SeedConflictError];

try {
  await program.parseAsync();
} catch (error) {
  // What a user can fix is one line; anything else is a bug and keeps its stack.
  if (EXPECTED.some((type) => error instanceof type))
    console.error(`ddb: ${(error as Error).message}`);
  else console.error(error);
  process.exitCode = 1;
}
