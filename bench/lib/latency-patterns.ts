import { randomUUID } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { messageItem } from '../../src/messaging/message-items.js';
import type { Messaging } from '../../src/messaging/messaging.js';
import type { User } from '../../src/messaging/model.js';
import {
  appendMessageRequest,
  claimClientMessageRequest,
  getPairRequest,
  startConversationRequest,
} from '../../src/messaging/requests/messages.js';
import { listMessageGroupsQuery, listMessagesQuery } from '../../src/messaging/requests/queries.js';
import { getUserByHandleRequest } from '../../src/messaging/requests/users.js';
import type { DynamoTable } from '../../src/store/dynamo-table.js';
import type { BenchConversation, Dataset } from './dataset.js';
import { bareListMessages } from './floor-routes.js';
import type { FreshPairs } from './fresh-pairs.js';
import type { HttpRequestSpec } from './http-load.js';
import { countClientIds, countPairs, type IntegrityRow } from './integrity.js';
import { bareMarkRead, type MarkReadReaders } from './mark-read-readers.js';
import { editPattern, unsendPattern } from './message-change-patterns.js';
import { bareFindPeople, searchText } from './people-search.js';
import { pick } from './pick.js';

/** One access pattern as the latency runs measure it: through the API and as its bare requests. */
export interface Pattern {
  name: string;
  /** Distinct requests prepared per run: enough that writes never repeat one. */
  prepared: number;
  /** The n-th prepared API request of the run at `level` clients. */
  http: (level: number, n: number) => HttpRequestSpec;
  bare: () => Promise<unknown>;
  /** The same bare request behind the server, for the patterns with a latency target. */
  floor?: () => HttpRequestSpec;
  /** Measured in the same slices: the pattern before read state (API and/or bare). */
  compare?: { specs?: HttpRequestSpec[]; bare?: () => Promise<unknown> };
  /** Before each concurrency's run, before its requests are prepared. */
  beforeLevel?: () => Promise<void>;
  betweenSlices?: (progress: { issued: number }) => Promise<void>;
  /**
   * Write patterns: after each concurrency's run, what it acknowledged against what the table
   * holds (undefined: nothing it can vouch for). `issued`: how many of `specs` were sent.
   */
  checkIntegrity?: (run: {
    clients: number;
    specs: HttpRequestSpec[];
    issued: number;
    exhausted: boolean;
    statuses: Record<string, number>;
  }) => Promise<IntegrityRow | undefined>;
}

/** What the patterns draw their requests from. */
export interface PatternContext {
  doc: DynamoDBDocumentClient;
  tableName: string;
  table: DynamoTable;
  dataset: Dataset;
  /** The API's core: edit and unsend start their conversations through it and warm its caches. */
  messaging: Messaging;
  /** The conversations A and D use (their participants cached by the API). */
  hot: BenchConversation[];
  token: (user: User) => string;
  readers: MarkReadReaders;
  pairs: FreshPairs;
  log: (line: string) => void;
}

const userLookup = ({ doc, tableName, dataset, token }: PatternContext): Pattern => ({
  name: 'user lookup',
  prepared: 10_000,
  http: () => ({
    method: 'GET',
    path: `/api/users/@${pick(dataset.users).handle}/short`,
    token: token(pick(dataset.users)),
  }),
  bare: () =>
    doc.send(new GetCommand(getUserByHandleRequest(tableName, pick(dataset.users).handle))),
});

const listMessages = ({ doc, tableName, hot, token }: PatternContext): Pattern => ({
  name: 'A list messages',
  prepared: 10_000,
  http: () => {
    const c = pick(hot);
    return { method: 'GET', path: `/api/messages/${c.groupUuid}?limit=20`, token: token(c.a) };
  },
  bare: () => bareListMessages(doc, tableName, pick(hot).groupUuid),
  floor: () => ({
    method: 'GET',
    path: `/bench/floor/messages/${pick(hot).groupUuid}`,
    token: '',
  }),
  // Before read state A was this Query alone, without the GSI Query beside it.
  compare: {
    bare: () => doc.send(new QueryCommand(listMessagesQuery(tableName, pick(hot).groupUuid, 20))),
  },
});

const listConversations = ({ doc, tableName, dataset, token }: PatternContext): Pattern => ({
  name: 'B list conversations',
  prepared: 10_000,
  http: () => ({
    method: 'GET',
    path: '/api/message_groups?limit=20',
    token: token(pick(dataset.users)),
  }),
  bare: () =>
    doc.send(new QueryCommand(listMessageGroupsQuery(tableName, pick(dataset.users).uuid, 20))),
  floor: () => ({
    method: 'GET',
    path: `/bench/floor/message_groups/${pick(dataset.users).uuid}`,
    token: '',
  }),
  // Before read state: the same lists in the rows' old shape (the legacy twins).
  compare: {
    specs: Array.from({ length: 4_000 }, () => ({
      method: 'GET' as const,
      path: '/api/message_groups?limit=20',
      token: token(pick(dataset.legacyTwins)),
    })),
    bare: () =>
      doc.send(
        new QueryCommand(listMessageGroupsQuery(tableName, pick(dataset.legacyTwins).uuid, 20)),
      ),
  },
});

/** Typeahead: what "To" sends as one types (bench/lib/people-search.ts). Same rule as A and B. */
const peopleSearch = ({ doc, tableName, dataset, token }: PatternContext): Pattern => ({
  name: 'people search',
  prepared: 10_000,
  http: () => ({
    method: 'GET',
    path: `/api/users?q=${encodeURIComponent(searchText(dataset.users))}`,
    token: token(pick(dataset.users)),
  }),
  bare: () => bareFindPeople(doc, tableName, searchText(dataset.users)),
  floor: () => ({
    method: 'GET',
    path: `/bench/floor/people?q=${encodeURIComponent(searchText(dataset.users))}`,
    token: '',
  }),
});

/** Each reader marks its conversation once; MarkReadReaders puts them back between slices. */
const markRead = ({ doc, tableName, token, readers }: PatternContext): Pattern => ({
  name: 'mark read (the newest message)',
  prepared: 20_000,
  http: (_level, n) => {
    const c = readers.apiReader(n);
    return {
      method: 'POST',
      path: `/api/message_groups/${c.groupUuid}/read`,
      token: token(c.reader),
      body: { message_uuid: c.newestUuid },
    };
  },
  bare: () => bareMarkRead(doc, tableName, readers.nextBare()),
  floor: () => ({ method: 'POST', path: '/bench/floor/read', token: '' }),
  beforeLevel: () => readers.beforeLevel(),
  betweenSlices: ({ issued }) => readers.betweenSlices(issued),
});

const sendToConversation = ({ doc, tableName, table, hot, token }: PatternContext): Pattern => ({
  name: 'D send to a conversation',
  prepared: 20_000,
  http: (level, n) => {
    const c = pick(hot);
    return {
      method: 'POST',
      path: '/api/messages',
      token: token(c.a),
      body: {
        message_group_uuid: c.groupUuid,
        message: 'benchmark message',
        client_message_id: `d${level}-${n}-${randomUUID()}`,
      },
    };
  },
  bare: async () => {
    const c = pick(hot);
    const clientMessageId = randomUUID();
    const message = messageItem({
      messageGroupUuid: c.groupUuid,
      messageUuid: randomUUID(),
      sender: c.a,
      text: 'benchmark message',
      createdAt: new Date(),
      clientMessageId,
    });
    await table.write(claimClientMessageRequest(tableName, message, clientMessageId));
    await table.write(appendMessageRequest(tableName, message));
  },
  // Requests beyond the prepared ones would repeat them: count only what a phase can vouch for.
  checkIntegrity: ({ clients, specs, issued, statuses }) =>
    countClientIds(
      doc,
      tableName,
      hot.map((c) => c.groupUuid),
      {
        name: `D @${clients}`,
        statuses,
        sentIds: specs
          .slice(0, issued)
          .map(
            (spec) =>
              (spec.body as { client_message_id?: string } | undefined)?.client_message_id ?? '',
          ),
      },
    ),
});

const startConversation = ({ doc, tableName, pairs, token, log }: PatternContext): Pattern => {
  /** The pair of each prepared request of the current concurrency, in order. */
  let attempted: [User, User][] = [];
  return {
    name: 'C start a conversation',
    prepared: pairs.prepared,
    beforeLevel: async () => {
      attempted = [];
    },
    http: () => {
      const [a, b] = pairs.next();
      attempted.push([a, b]);
      return {
        method: 'POST',
        path: '/api/messages',
        token: token(a),
        body: { handle: b.handle, message: 'hello there' },
      };
    },
    bare: async () => {
      const [a, b] = pairs.next();
      await doc.send(new GetCommand(getUserByHandleRequest(tableName, b.handle)));
      await doc.send(new GetCommand(getPairRequest(tableName, a.uuid, b.uuid)));
      const request = startConversationRequest(tableName, a, b, {
        messageGroupUuid: randomUUID(),
        messageUuid: randomUUID(),
        sender: a,
        text: 'hello there',
        createdAt: new Date(),
      });
      await doc.send(new TransactWriteCommand({ TransactItems: request.items }));
    },
    // A C request sent again is a D (the pair talks already): its 201 proves nothing of C.
    checkIntegrity: async ({ clients, issued, exhausted, statuses }) => {
      if (exhausted) {
        log(`C @${clients}: the prepared first messages ran out; not counted (raise BENCH_USERS)`);
        return undefined;
      }
      return countPairs(doc, tableName, attempted.slice(0, issued), {
        name: `C @${clients}`,
        statuses,
      });
    },
  };
};

/** Every pattern of the latency runs, in the order they run and are reported. */
export const latencyPatterns = (context: PatternContext): Pattern[] => [
  userLookup(context),
  listMessages(context),
  listConversations(context),
  peopleSearch(context),
  markRead(context),
  sendToConversation(context),
  startConversation(context),
  // Last: their messages are written into conversations of their own, which nothing else reads.
  editPattern(context),
  unsendPattern(context),
];
