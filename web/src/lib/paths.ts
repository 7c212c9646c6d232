/** Every route of the app, built in one place. */
export const paths = {
  signIn: '/signin',
  messages: '/messages',
  conversation: (messageGroupUuid: string) => `/messages/${encodeURIComponent(messageGroupUuid)}`,
  newConversation: (handle: string) => `/messages/new/${encodeURIComponent(handle)}`,
  inspect: '/inspect',
} as const;
