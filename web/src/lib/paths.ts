/** Every route of the app, built in one place. */
export const paths = {
  signIn: '/signin',
  messages: '/messages',
  conversation: (messageGroupUuid: string) => `/messages/${encodeURIComponent(messageGroupUuid)}`,
  newConversation: (handle: string) => `/messages/new/${encodeURIComponent(handle)}`,
  inspect: '/inspect',
} as const;

/** The router's patterns of `paths.conversation` and `paths.newConversation`. */
export const routePatterns = {
  conversation: '/messages/:message_group_uuid',
  newConversation: '/messages/new/:handle',
} as const;
