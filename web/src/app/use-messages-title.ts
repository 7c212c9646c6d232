import { useConversationList } from '../features/conversations/ConversationsProvider';
import { useDocumentTitle } from '../lib/use-document-title';

/**
 * The tab title of a messages screen, with the number of conversations with unread messages
 * first, as mail and chat apps do: "(2) Messages · Cruddur Messaging".
 */
export const useMessagesTitle = (title: string): void => {
  const unread = useConversationList().unreadConversations;
  useDocumentTitle(unread > 0 ? `(${unread}) ${title}` : title);
};
