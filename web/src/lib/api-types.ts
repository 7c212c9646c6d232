/**
 * The JSON shapes of the HTTP API, snake_case as on the wire: the server's own types, each the
 * `Static<>` of the schema that serializes it (src/api/schemas.ts). Types only: nothing of the
 * server or of TypeBox reaches the bundle.
 */
export type {
  AuthConfig,
  BlockedUser,
  BlockList,
  ClientConfig,
  CostEntry,
  DevSession,
  HostedSignIn,
  Me,
  Message,
  MessageGroup,
  MessageGroupPage,
  MessagePage,
  ReadAnswer,
  RequestCost,
  SendTarget,
  SentMessage,
  User,
  UserList,
  UserLookup,
} from '../../../src/api/schemas';
